-- Issue 14: alerts reach people.

-- The labels routes and silences match on (rule, severity, category, job, symbol), and the silences that held an
-- alert when it was raised (a silenced alert is still recorded and shown, marked so).
ALTER TABLE monitor.alerts ADD COLUMN labels JSONB NOT NULL DEFAULT '{}';
ALTER TABLE monitor.alerts ADD COLUMN silenced_by TEXT[] NOT NULL DEFAULT '{}';

-- Silences and recurring maintenance windows (cron + duration), made by people through the API.
CREATE TABLE monitor.silences (
    id               TEXT        PRIMARY KEY,
    matchers         JSONB       NOT NULL,
    starts_at        TIMESTAMPTZ NOT NULL,
    ends_at          TIMESTAMPTZ,
    comment          TEXT        NOT NULL,
    created_by       TEXT        NOT NULL,
    end_on_resolve   BOOLEAN     NOT NULL DEFAULT false,
    cron             TEXT,
    duration_seconds BIGINT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    expired_at       TIMESTAMPTZ
);
CREATE INDEX silences_live_idx ON monitor.silences (created_at DESC) WHERE expired_at IS NULL;

-- The delivery status of every notification (the ledger itself is a Redis stream; this is what people read).
CREATE TABLE monitor.notifications (
    notification_id TEXT        PRIMARY KEY,
    receiver        TEXT        NOT NULL,
    group_key       TEXT        NOT NULL,
    kind            TEXT        NOT NULL,
    status          TEXT        NOT NULL,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    last_error      TEXT,
    alerts          JSONB       NOT NULL DEFAULT '[]',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX notifications_updated_idx ON monitor.notifications (updated_at DESC);
