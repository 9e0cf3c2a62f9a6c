-- Worker leases: each process running jobs renews its row every few seconds
-- (internal/jobs/recovery.go). On PostgreSQL a replica whose lease has run
-- out is dead, and the jobs it left running are handed to the others at
-- once rather than after River's stuck-job rescue. Times are the database's.
CREATE TABLE worker_leases (
    worker       TEXT PRIMARY KEY,  -- River's client id (attempted_by)
    started_at   BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL
);

-- Events not yet processed, found without reading past processed ones: a
-- process starting after a crash sweeps from the lowest.
CREATE INDEX webhook_inbox_pending ON webhook_inbox(id) WHERE processed_at = 0;
