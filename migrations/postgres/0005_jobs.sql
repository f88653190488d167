-- Durable job queue (DESIGN §5). Delivery is at-least-once: a worker claims a job with a lease
-- (`locked_by`, `locked_until`); a `running` job whose lease has expired is due again, so a killed
-- process loses nothing. `attempts` counts attempts started (it is raised when a job is claimed),
-- so a job that kills its process every time still ends `dead` after `max_attempts`.
CREATE TABLE jobs (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    id             uuid NOT NULL,
    kind           text NOT NULL,
    payload        jsonb NOT NULL,
    state          text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'dead')),
    attempts       integer NOT NULL DEFAULT 0,
    max_attempts   integer NOT NULL CHECK (max_attempts > 0),
    run_at         timestamptz NOT NULL,
    locked_by      text,
    locked_until   timestamptz,
    last_error     text,
    dedupe_key     text,
    trace_context  text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
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
    tenant_id        uuid PRIMARY KEY REFERENCES tenants (id),
    last_claimed_at  timestamptz NOT NULL
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['jobs', 'job_tenant_cursor'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (kiln_tenant_visible(tenant_id))', t);
    END LOOP;
END
$$;
