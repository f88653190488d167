-- Durable job queue (DESIGN §5). Delivery is at-least-once: a worker claims a job with a lease
-- (`locked_by`, `locked_until`); a `running` job whose lease has expired is due again, so a killed
-- process loses nothing. `attempts` counts attempts started (it is raised when a job is claimed),
-- so a job that kills its process every time still ends `dead` after `max_attempts`.
CREATE TABLE jobs (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    id             TEXT NOT NULL,
    kind           TEXT NOT NULL,
    payload        TEXT NOT NULL CHECK (json_valid(payload)),
    state          TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'dead')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    max_attempts   INTEGER NOT NULL CHECK (max_attempts > 0),
    run_at         TEXT NOT NULL,
    locked_by      TEXT,
    locked_until   TEXT,
    last_error     TEXT,
    dedupe_key     TEXT,
    trace_context  TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    -- Fan-out enqueues with a dedupe key; NULL keys never conflict.
    UNIQUE (tenant_id, dedupe_key)
);
-- Claiming probes one tenant at a time for its oldest due job.
CREATE INDEX jobs_due ON jobs (tenant_id, state, run_at);
-- The platform listing, newest first, across tenants.
CREATE INDEX jobs_recent ON jobs (id);

-- Round-robin between tenants: the claim goes to the tenant with due jobs that was served least
-- recently (see src/jobs/job_queue.cpp).
CREATE TABLE job_tenant_cursor (
    tenant_id        TEXT PRIMARY KEY REFERENCES tenants (id),
    last_claimed_at  TEXT NOT NULL
);
