-- Workflows: tenant rules that react to events (trigger type + conditions on the payload +
-- ordered actions), and the log of their runs. Notifications: in-app messages per user.

CREATE TABLE workflow_rules (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    id             uuid NOT NULL,
    name           text NOT NULL,
    description    text NOT NULL DEFAULT '',
    trigger_event  text NOT NULL,
    conditions     jsonb NOT NULL,
    actions        jsonb NOT NULL,
    is_enabled     boolean NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
-- The dispatcher asks "which enabled rules does this event trigger?" for every event.
CREATE INDEX workflow_rules_trigger ON workflow_rules (tenant_id, trigger_event) WHERE is_enabled;

-- One row per run attempt. Range-partitioned by month on run_at like audit_logs (0001); the
-- primary key must contain the partition key. No foreign key to the rule: the log is history
-- that outlives a deleted rule until retention drops its month.
CREATE TABLE workflow_logs (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    rule_id      uuid NOT NULL,
    event_id     uuid NOT NULL,
    event_type   text NOT NULL,
    job_id       uuid,
    attempt      integer NOT NULL,
    status       text NOT NULL CHECK (status IN ('succeeded', 'failed', 'skipped')),
    results      jsonb NOT NULL,
    error        text,
    duration_us  bigint NOT NULL,
    run_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id, run_at)
) PARTITION BY RANGE (run_at);
CREATE TABLE workflow_logs_default PARTITION OF workflow_logs DEFAULT;
CREATE INDEX workflow_logs_rule ON workflow_logs (tenant_id, rule_id, id);
SELECT kiln_ensure_monthly_partitions('workflow_logs', 1, 3);

CREATE TABLE notifications (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    user_id     uuid NOT NULL REFERENCES users (id),
    kind        text NOT NULL,
    title       text NOT NULL,
    body        text NOT NULL DEFAULT '',
    link        text,
    data        jsonb NOT NULL,
    -- The same notice produced twice (a retried job) is stored once.
    dedupe_key  text,
    read_at     timestamptz,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, user_id, dedupe_key)
);
CREATE INDEX notifications_user ON notifications (tenant_id, user_id, id);
CREATE INDEX notifications_unread ON notifications (tenant_id, user_id) WHERE read_at IS NULL;

SELECT kiln_protect_tenant_tables('workflow_rules', 'workflow_logs', 'notifications');
