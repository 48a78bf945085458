-- Issue 18: checks, the expected runs of jobs this system does not run (cron elsewhere, Kubernetes CronJobs, CI).

-- A check expects a run on a schedule (cron in a timezone) or every period_seconds, to start within grace_seconds.
-- The last_* columns are the latest signals, kept here so evaluating every check is one read of this table.
CREATE TABLE monitor.checks (
    name                TEXT        PRIMARY KEY,
    schedule            TEXT,
    timezone            TEXT        NOT NULL DEFAULT 'UTC',
    period_seconds      BIGINT,
    grace_seconds       BIGINT      NOT NULL,
    max_runtime_seconds BIGINT,
    min_runtime_seconds BIGINT,
    depends_on          TEXT[]      NOT NULL DEFAULT '{}',
    ping_key            TEXT        NOT NULL UNIQUE,
    badge_key           TEXT        NOT NULL UNIQUE,
    source              TEXT        NOT NULL DEFAULT 'api',
    paused              BOOLEAN     NOT NULL DEFAULT false,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    last_ping_at        TIMESTAMPTZ,
    last_start_at       TIMESTAMPTZ,
    last_finish_at      TIMESTAMPTZ,
    last_outcome        TEXT,
    last_exit_code      INTEGER,
    last_duration_ms    BIGINT,
    -- the start of the run begun after the last finish that has not finished, and the last 21 durations (oldest
    -- first): kept here by every signal so that judging every check is a plain scan of this table
    open_run_started_at TIMESTAMPTZ,
    recent_durations_ms BIGINT[]    NOT NULL DEFAULT '{}',
    CHECK ((schedule IS NULL) <> (period_seconds IS NULL))
);

-- One row per run: a start, a finish, or both. rid pairs the start and finish of overlapping runs (for execution
-- events it is the execution_id), and makes a signal that arrives twice (two monitor replicas, a replay) count once.
CREATE TABLE monitor.check_runs (
    id          BIGSERIAL   PRIMARY KEY,
    check_name  TEXT        NOT NULL REFERENCES monitor.checks (name) ON DELETE CASCADE ON UPDATE CASCADE,
    rid         TEXT,
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    outcome     TEXT,
    exit_code   INTEGER,
    duration_ms BIGINT,
    output      TEXT,
    via         TEXT        NOT NULL
);
CREATE UNIQUE INDEX check_runs_rid_idx ON monitor.check_runs (check_name, rid) WHERE rid IS NOT NULL;
CREATE INDEX check_runs_latest_idx ON monitor.check_runs (check_name, id DESC);
CREATE INDEX check_runs_open_idx ON monitor.check_runs (check_name, id DESC) WHERE finished_at IS NULL;
-- retention: runs older than the cut-off go (except each check's last 21)
CREATE INDEX check_runs_age_idx ON monitor.check_runs ((coalesce(finished_at, started_at)));
