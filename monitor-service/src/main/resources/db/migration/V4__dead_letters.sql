-- Stream entries no consumer managed to store: delivered more than monitor.stream.max-deliveries times (each
-- monitor holding one stopped before its commit). Kept with the reason so an operator can look and replay.
CREATE TABLE monitor.dead_letters (
    id          BIGSERIAL   PRIMARY KEY,
    stream      TEXT        NOT NULL,
    entry_id    TEXT        NOT NULL,
    payload     TEXT,
    deliveries  BIGINT      NOT NULL,
    reason      TEXT        NOT NULL,
    dead_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (stream, entry_id)
);
CREATE INDEX dead_letters_dead_at_idx ON monitor.dead_letters (dead_at DESC);
