-- Outgoing webhooks (DESIGN §7): tenants subscribe URLs to event types; every matching event
-- becomes one delivery per subscription (unique, so the fan-out is idempotent), and every attempt
-- to deliver it is recorded.
CREATE TABLE webhook_subscriptions (
    tenant_id                   uuid NOT NULL REFERENCES tenants (id),
    id                          uuid NOT NULL,
    integration_id              uuid,
    target_url                  text NOT NULL,
    description                 text NOT NULL DEFAULT '',
    events                      jsonb NOT NULL,
    -- Sealed with the master key (core/secret_vault); the previous secret keeps signing until
    -- previous_secret_expires_at after a rotation.
    secret                      text NOT NULL,
    secret_hint                 text NOT NULL,
    previous_secret             text,
    previous_secret_expires_at  timestamptz,
    -- Seconds before each attempt; NULL = the platform's KILN_WEBHOOK_RETRY_SCHEDULE.
    retry_schedule              jsonb,
    is_active                   boolean NOT NULL,
    disabled_reason             text,
    disabled_at                 timestamptz,
    -- Set by the first delivery that exhausted its retries since the last success; a subscription
    -- failing for longer than the disable window is disabled.
    failing_since               timestamptz,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE webhook_deliveries (
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    id               uuid NOT NULL,
    subscription_id  uuid NOT NULL,
    event_id         uuid NOT NULL,
    event_type       text NOT NULL,
    -- The exact bytes that are signed and sent, fixed when the delivery is created.
    payload          text NOT NULL,
    state            text NOT NULL CHECK (state IN ('pending', 'delivering', 'succeeded', 'failed', 'dead', 'skipped')),
    attempts         integer NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    locked_by        text,
    locked_until     timestamptz,
    last_status      integer,
    last_error       text,
    event_created_at timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    delivered_at     timestamptz,
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
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    id               uuid NOT NULL,
    delivery_id      uuid NOT NULL,
    subscription_id  uuid NOT NULL,
    attempt          integer NOT NULL,
    trigger          text NOT NULL CHECK (trigger IN ('scheduled', 'manual', 'test')),
    attempted_at     timestamptz NOT NULL,
    status_code      integer,
    latency_us       bigint NOT NULL,
    error_class      text,
    error            text,
    response_body    text NOT NULL DEFAULT '',
    succeeded        boolean NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, delivery_id) REFERENCES webhook_deliveries (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (tenant_id, delivery_id, id);
CREATE INDEX webhook_attempts_time ON webhook_attempts (attempted_at);

SELECT kiln_protect_tenant_tables('webhook_subscriptions', 'webhook_deliveries', 'webhook_attempts');
