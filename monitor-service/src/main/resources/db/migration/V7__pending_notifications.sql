-- An alert transition the engine could not hand to notification (Redis away at that moment) is kept on the alert and
-- queued again at a later evaluation round, so an alert raised during a Redis outage still reaches its receivers.
--   notify_pending       the transitions still owed, in order: 'F' (fired), 'R' (resolved), 'FR'; NULL when none
--   notify_attempted_at  the last attempt; a replica retries only attempts older than a lease, so two replicas
--                        do not queue the same transition at the same moment
ALTER TABLE monitor.alerts ADD COLUMN notify_pending TEXT CHECK (notify_pending IN ('F', 'R', 'FR'));
ALTER TABLE monitor.alerts ADD COLUMN notify_attempted_at TIMESTAMPTZ;

CREATE INDEX alerts_notify_pending_idx ON monitor.alerts (notify_attempted_at) WHERE notify_pending IS NOT NULL;
