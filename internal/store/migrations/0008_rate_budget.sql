-- Zoom rate-limit budgets shared by every replica (internal/zoom's limiter on
-- PostgreSQL). One row per bucket: a per-second bucket ("<account>|<category>")
-- uses next_at_us, the earliest instant its next call may start (epoch
-- MICROseconds: spacing of 1/80 s needs finer than ms), moved forward
-- atomically by each reservation; a daily pool ("<account>|daily|<pool>")
-- counts calls in used for the UTC day in day, and blocked_until holds a
-- Retry-After Zoom gave for that pool.
CREATE TABLE rate_budget (
    bucket        TEXT PRIMARY KEY,
    next_at_us    BIGINT NOT NULL DEFAULT 0,
    day           BIGINT NOT NULL DEFAULT 0,
    used          INTEGER NOT NULL DEFAULT 0,
    blocked_until BIGINT NOT NULL DEFAULT 0,
    updated_at    BIGINT NOT NULL
);
