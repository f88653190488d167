-- Outgoing webhooks (DESIGN §7): tenants subscribe URLs to event types; every matching event
-- becomes one delivery per subscription (unique, so the fan-out is idempotent), and every attempt
-- to deliver it is recorded.
CREATE TABLE webhook_subscriptions (
    tenant_id                   TEXT NOT NULL REFERENCES tenants (id),
    id                          TEXT NOT NULL,
    integration_id              TEXT,
    target_url                  TEXT NOT NULL,
    description                 TEXT NOT NULL DEFAULT '',
    events                      TEXT NOT NULL CHECK (json_valid(events)),
    -- Sealed with the master key (core/secret_vault); the previous secret keeps signing until
    -- previous_secret_expires_at after a rotation.
    secret                      TEXT NOT NULL,
    secret_hint                 TEXT NOT NULL,
    previous_secret             TEXT,
    previous_secret_expires_at  TEXT,
    -- Seconds before each attempt; NULL = the platform's KILN_WEBHOOK_RETRY_SCHEDULE.
    retry_schedule              TEXT CHECK (retry_schedule IS NULL OR json_valid(retry_schedule)),
    is_active                   INTEGER NOT NULL,
    disabled_reason             TEXT,
    disabled_at                 TEXT,
    -- Set by the first delivery that exhausted its retries since the last success; a subscription
    -- failing for longer than the disable window is disabled.
    failing_since               TEXT,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE webhook_deliveries (
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    id               TEXT NOT NULL,
    subscription_id  TEXT NOT NULL,
    event_id         TEXT NOT NULL,
    event_type       TEXT NOT NULL,
    -- The exact bytes that are signed and sent, fixed when the delivery is created.
    payload          TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'delivering', 'succeeded', 'failed', 'dead', 'skipped')),
    attempts         INTEGER NOT NULL,
    next_attempt_at  TEXT NOT NULL,
    locked_by        TEXT,
    locked_until     TEXT,
    last_status      INTEGER,
    last_error       TEXT,
    event_created_at TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    delivered_at     TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, subscription_id, event_id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES webhook_subscriptions (tenant_id, id) ON DELETE CASCADE
);
-- Workers claim what is due: pending or failed deliveries whose time has come, and deliveries whose
-- worker's lease ran out. Both indexes hold only claimable rows.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state IN ('pending', 'failed');
CREATE INDEX webhook_deliveries_due_by_subscription ON webhook_deliveries (tenant_id, subscription_id, next_attempt_at)
    WHERE state IN ('pending', 'failed');
CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (locked_until) WHERE state = 'delivering';
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (tenant_id, subscription_id, id);

CREATE TABLE webhook_attempts (
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    id               TEXT NOT NULL,
    delivery_id      TEXT NOT NULL,
    subscription_id  TEXT NOT NULL,
    attempt          INTEGER NOT NULL,
    trigger          TEXT NOT NULL CHECK (trigger IN ('scheduled', 'manual', 'test')),
    attempted_at     TEXT NOT NULL,
    status_code      INTEGER,
    latency_us       INTEGER NOT NULL,
    error_class      TEXT,
    error            TEXT,
    response_body    TEXT NOT NULL DEFAULT '',
    succeeded        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, delivery_id) REFERENCES webhook_deliveries (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (tenant_id, delivery_id, id);
CREATE INDEX webhook_attempts_time ON webhook_attempts (attempted_at);
