-- Integrations (DESIGN §6): per-tenant connections to providers, the events they send us, the
-- messages sent through them, store syncs and signature requests.
CREATE TABLE integrations (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id              TEXT NOT NULL,
    type            TEXT NOT NULL CHECK (type IN ('stripe', 'razorpay', 'sendgrid', 'ses', 'twilio', 'shopify', 'docusign', 'custom')),
    capability      TEXT NOT NULL,
    name            TEXT NOT NULL,
    mode            TEXT NOT NULL CHECK (mode IN ('test', 'live')),
    -- Non-secret fields in clear; secret fields sealed with the master key (core/secret_vault).
    config          TEXT NOT NULL CHECK (json_valid(config)),
    status          TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'error')),
    is_default      INTEGER NOT NULL,
    last_tested_at  TEXT,
    last_error      TEXT,
    -- Incremental sync positions, e.g. {"products": "<updated_at of the newest item seen>"}.
    sync_state      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(sync_state)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
-- One default per capability (payments, email, sms, …) and tenant.
CREATE UNIQUE INDEX integrations_default ON integrations (tenant_id, capability) WHERE is_default = 1;

CREATE TABLE inbound_events (
    tenant_id          TEXT NOT NULL REFERENCES tenants (id),
    id                 TEXT NOT NULL,
    integration_id     TEXT NOT NULL,
    provider           TEXT NOT NULL,
    provider_event_id  TEXT NOT NULL,
    event_type         TEXT NOT NULL,
    payload            TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('received', 'processed', 'ignored', 'failed')),
    result             TEXT,
    received_at        TEXT NOT NULL,
    processed_at       TEXT,
    PRIMARY KEY (tenant_id, id),
    -- A provider's retry of the same event is stored once: replays change nothing.
    UNIQUE (tenant_id, integration_id, provider_event_id),
    FOREIGN KEY (tenant_id, integration_id) REFERENCES integrations (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE messages (
    tenant_id            TEXT NOT NULL REFERENCES tenants (id),
    id                   TEXT NOT NULL,
    channel              TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    integration_id       TEXT,
    provider             TEXT NOT NULL,
    provider_message_id  TEXT,
    status               TEXT NOT NULL,
    recipients           TEXT NOT NULL CHECK (json_valid(recipients)),
    subject              TEXT,
    source               TEXT NOT NULL,
    error                TEXT,
    -- What was asked (the API body: addresses, content, attachments): a queued message is sent from it.
    request              TEXT CHECK (json_valid(request)),
    -- A workflow action's key: a retried run finds its message instead of sending again.
    idempotency_key      TEXT,
    -- When the provider accepted the message; NULL while it has not (queued, sending, failed before).
    sent_at              TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX messages_provider_id ON messages (tenant_id, provider, provider_message_id);

CREATE TABLE integration_syncs (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id              TEXT NOT NULL,
    integration_id  TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('products', 'orders')),
    state           TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    pages           INTEGER NOT NULL DEFAULT 0,
    items           INTEGER NOT NULL DEFAULT 0,
    created         INTEGER NOT NULL DEFAULT 0,
    updated         INTEGER NOT NULL DEFAULT 0,
    errors          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(errors)),
    -- Why a failed sync stopped (the provider's reason, never a credential); item errors are in `errors`.
    error           TEXT,
    -- The store's updated_at this sync asks from (absent: everything); the position of the next page
    -- to fetch (absent: the first), the newest updated_at seen and the oldest of an item that failed,
    -- saved with each page so a sync whose process died resumes where it stopped.
    since           TEXT,
    cursor          TEXT,
    newest_updated_at TEXT,
    oldest_failed_updated_at TEXT,
    started_at      TEXT,
    finished_at     TEXT,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, integration_id) REFERENCES integrations (tenant_id, id) ON DELETE CASCADE
);
-- At most one unfinished sync of a kind per integration: a second request is a conflict.
CREATE UNIQUE INDEX integration_syncs_active ON integration_syncs (tenant_id, integration_id, kind)
    WHERE state IN ('queued', 'running');

CREATE TABLE signature_requests (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id              TEXT NOT NULL,
    integration_id  TEXT NOT NULL,
    envelope_id     TEXT,
    status          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    message         TEXT,
    -- Names of the documents sent (their content stays with the provider).
    documents       TEXT NOT NULL CHECK (json_valid(documents)),
    signers         TEXT NOT NULL CHECK (json_valid(signers)),
    entity_type     TEXT,
    entity_id       TEXT,
    error           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    completed_at    TEXT,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX signature_requests_envelope ON signature_requests (tenant_id, envelope_id);
