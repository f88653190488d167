-- Workflows: tenant rules that react to events (trigger type + conditions on the payload +
-- ordered actions), and the log of their runs. Notifications: in-app messages per user.

CREATE TABLE workflow_rules (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    id             TEXT NOT NULL,
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    trigger_event  TEXT NOT NULL,
    conditions     TEXT NOT NULL CHECK (json_valid(conditions)),
    actions        TEXT NOT NULL CHECK (json_valid(actions)),
    is_enabled     INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
-- The dispatcher asks "which enabled rules does this event trigger?" for every event.
CREATE INDEX workflow_rules_trigger ON workflow_rules (tenant_id, trigger_event) WHERE is_enabled;

-- One row per run attempt. No foreign key to the rule: the log is history that outlives a
-- deleted rule until retention drops it.
CREATE TABLE workflow_logs (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    id           TEXT NOT NULL,
    rule_id      TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    event_type   TEXT NOT NULL,
    job_id       TEXT,
    attempt      INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'skipped')),
    results      TEXT NOT NULL CHECK (json_valid(results)),
    error        TEXT,
    duration_us  INTEGER NOT NULL,
    run_at       TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX workflow_logs_rule ON workflow_logs (tenant_id, rule_id, id);

CREATE TABLE notifications (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    id          TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    link        TEXT,
    data        TEXT NOT NULL CHECK (json_valid(data)),
    -- The same notice produced twice (a retried job) is stored once.
    dedupe_key  TEXT,
    read_at     TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, user_id, dedupe_key)
);
CREATE INDEX notifications_user ON notifications (tenant_id, user_id, id);
CREATE INDEX notifications_unread ON notifications (tenant_id, user_id) WHERE read_at IS NULL;
