-- Error groups people act on (#19): a state per group, the conditions of an ignore, and who did what.

ALTER TABLE monitor.error_groups
    -- unresolved | resolved | regressed | ignored
    ADD COLUMN state            TEXT        NOT NULL DEFAULT 'unresolved',
    ADD COLUMN state_changed_at TIMESTAMPTZ,
    -- The newest event time (the producer's timestamp) seen in the group: a regression is an error that occurred
    -- after the resolve, so an old event delivered late or replayed from the stream does not reopen the group.
    ADD COLUMN last_occurred    TIMESTAMPTZ,
    ADD COLUMN resolved_at      TIMESTAMPTZ,
    -- ignore conditions: until a time, until N more occurrences (counted from ignore_count_base), until more than
    -- N per hour; all null is "forever"
    ADD COLUMN ignore_until          TIMESTAMPTZ,
    ADD COLUMN ignore_more_than      BIGINT,
    ADD COLUMN ignore_count_base     BIGINT,
    ADD COLUMN ignore_rate_per_hour  BIGINT,
    -- set when an ignore's condition was met and the group came back by itself: the group_reopened alert holds
    -- until someone acts on the group again
    ADD COLUMN reopened_at      TIMESTAMPTZ;

UPDATE monitor.error_groups SET last_occurred = last_seen WHERE last_occurred IS NULL;

CREATE INDEX error_groups_state_idx ON monitor.error_groups (state, last_seen DESC);
-- q= matches type, message pattern, component and operation (the job): one trigram index over the four. pg_trgm
-- is a trusted extension, but a role without CREATE on the database (the shipped least-privilege monitor role)
-- cannot install it: k8s/base/postgres-init.sh installs it as the superuser; where it is missing, q= still works,
-- by a scan of the groups (thousands of rows, a few milliseconds), and the migration says so.
DO $$
DECLARE trgm_schema TEXT;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
        RAISE NOTICE 'pg_trgm cannot be installed (%): error group search runs without its index', SQLERRM;
    END;
    SELECT n.nspname INTO trgm_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    IF trgm_schema IS NOT NULL THEN
        EXECUTE format($idx$CREATE INDEX error_groups_search_idx ON monitor.error_groups USING gin (
            (coalesce(error_type, '') || ' ' || message_pattern || ' ' || coalesce(component, '') || ' '
                || coalesce(operation, '')) %I.gin_trgm_ops)$idx$, trgm_schema);
    END IF;
END $$;

-- Every action on a group (by a person, or by the monitor when a group regressed or an ignore ran out).
CREATE TABLE monitor.error_group_activity (
    id          BIGSERIAL   PRIMARY KEY,
    fingerprint TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    actor       TEXT        NOT NULL,
    comment     TEXT,
    detail      JSONB       NOT NULL DEFAULT '{}'::jsonb,
    at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX error_group_activity_fp_idx ON monitor.error_group_activity (fingerprint, id DESC);
CREATE INDEX error_group_activity_at_idx ON monitor.error_group_activity (at);

-- q= also matches a symbol: the groups that have errors of it, read from this index alone
CREATE INDEX error_logs_symbol_fingerprint_idx ON monitor.error_logs (symbol, fingerprint) WHERE symbol IS NOT NULL;

-- Merges: a group merged into another stays merged for every later event of either fingerprint. The error rows of
-- a merged group carry the target's fingerprint (every query and rule sees one group) and their own in
-- origin_fingerprint, so that an unmerge can give them back.
CREATE TABLE monitor.error_group_merges (
    fingerprint      TEXT        PRIMARY KEY,
    into_fingerprint TEXT        NOT NULL,
    merged_by        TEXT        NOT NULL,
    merged_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX error_group_merges_into_idx ON monitor.error_group_merges (into_fingerprint);
ALTER TABLE monitor.error_groups ADD COLUMN merged_into TEXT;
ALTER TABLE monitor.error_logs ADD COLUMN origin_fingerprint TEXT;
-- a group's errors, newest first: merges move them, an ignore's rate counts them, a group's detail lists them
CREATE INDEX error_logs_fingerprint_idx ON monitor.error_logs (fingerprint, received_at DESC);

-- Resolved in a release (context.metadata.release of the errors): such a group regresses only on an error from a
-- later release. Releases are compared by their leading numbers (an int[] computed by the monitor: {1,4,10}).
ALTER TABLE monitor.error_groups
    ADD COLUMN resolved_in_release       TEXT,
    ADD COLUMN resolved_release_key      INT[],
    -- the newest release among the errors that occurred after the resolve
    ADD COLUMN release_after_resolve_key INT[],
    -- the newest release among all its errors
    ADD COLUMN last_release_key          INT[];
