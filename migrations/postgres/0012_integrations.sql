-- Integrations (DESIGN §6): per-tenant connections to providers, the events they send us, the
-- messages sent through them, store syncs and signature requests.
CREATE TABLE integrations (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    type            text NOT NULL CHECK (type IN ('stripe', 'razorpay', 'sendgrid', 'ses', 'twilio', 'shopify', 'docusign', 'custom')),
    capability      text NOT NULL,
    name            text NOT NULL,
    mode            text NOT NULL CHECK (mode IN ('test', 'live')),
    -- Non-secret fields in clear; secret fields sealed with the master key (core/secret_vault).
    config          jsonb NOT NULL,
    status          text NOT NULL CHECK (status IN ('active', 'inactive', 'error')),
    is_default      boolean NOT NULL,
    last_tested_at  timestamptz,
    last_error      text,
    -- Incremental sync positions, e.g. {"products": "<updated_at of the newest item seen>"}.
    sync_state      jsonb NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
-- One default per capability (payments, email, sms, …) and tenant.
CREATE UNIQUE INDEX integrations_default ON integrations (tenant_id, capability) WHERE is_default;

CREATE TABLE inbound_events (
    tenant_id          uuid NOT NULL REFERENCES tenants (id),
    id                 uuid NOT NULL,
    integration_id     uuid NOT NULL,
    provider           text NOT NULL,
    provider_event_id  text NOT NULL,
    event_type         text NOT NULL,
    payload            text NOT NULL,
    state              text NOT NULL CHECK (state IN ('received', 'processed', 'ignored', 'failed')),
    result             text,
    received_at        timestamptz NOT NULL,
    processed_at       timestamptz,
    PRIMARY KEY (tenant_id, id),
    -- A provider's retry of the same event is stored once: replays change nothing.
    UNIQUE (tenant_id, integration_id, provider_event_id),
    FOREIGN KEY (tenant_id, integration_id) REFERENCES integrations (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE messages (
    tenant_id            uuid NOT NULL REFERENCES tenants (id),
    id                   uuid NOT NULL,
    channel              text NOT NULL CHECK (channel IN ('email', 'sms')),
    integration_id       uuid,
    provider             text NOT NULL,
    provider_message_id  text,
    status               text NOT NULL,
    recipients           jsonb NOT NULL,
    subject              text,
    source               text NOT NULL,
    error                text,
    -- What was asked (the API body: addresses, content, attachments): a queued message is sent from it.
    request              jsonb,
    -- A workflow action's key: a retried run finds its message instead of sending again.
    idempotency_key      text,
    -- When the provider accepted the message; NULL while it has not (queued, sending, failed before).
    sent_at              timestamptz,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX messages_provider_id ON messages (tenant_id, provider, provider_message_id);

CREATE TABLE integration_syncs (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    integration_id  uuid NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('products', 'orders')),
    state           text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    pages           integer NOT NULL DEFAULT 0,
    items           integer NOT NULL DEFAULT 0,
    created         integer NOT NULL DEFAULT 0,
    updated         integer NOT NULL DEFAULT 0,
    errors          jsonb NOT NULL DEFAULT '[]',
    -- Why a failed sync stopped (the provider's reason, never a credential); item errors are in `errors`.
    error           text,
    -- The store's updated_at this sync asks from (absent: everything); the position of the next page
    -- to fetch (absent: the first), the newest updated_at seen and the oldest of an item that failed,
    -- saved with each page so a sync whose process died resumes where it stopped.
    since           text,
    cursor          text,
    newest_updated_at text,
    oldest_failed_updated_at text,
    started_at      timestamptz,
    finished_at     timestamptz,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, integration_id) REFERENCES integrations (tenant_id, id) ON DELETE CASCADE
);
-- At most one unfinished sync of a kind per integration: a second request is a conflict.
CREATE UNIQUE INDEX integration_syncs_active ON integration_syncs (tenant_id, integration_id, kind)
    WHERE state IN ('queued', 'running');

CREATE TABLE signature_requests (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    integration_id  uuid NOT NULL,
    envelope_id     text,
    status          text NOT NULL,
    subject         text NOT NULL,
    message         text,
    -- Names of the documents sent (their content stays with the provider).
    documents       jsonb NOT NULL,
    signers         jsonb NOT NULL,
    entity_type     text,
    entity_id       text,
    error           text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    completed_at    timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX signature_requests_envelope ON signature_requests (tenant_id, envelope_id);

SELECT kiln_protect_tenant_tables('integrations', 'inbound_events', 'messages', 'integration_syncs', 'signature_requests');
