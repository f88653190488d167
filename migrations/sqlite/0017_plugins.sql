-- The plugin marketplace (issue 14, the specified contract): a global registry of plugins that
-- platform administrators publish, and each tenant's configuration of them.

-- Global, like users: no tenant owns a plugin. The key names the plugin in every route and never
-- changes.
CREATE TABLE plugins (
    id             TEXT PRIMARY KEY,
    key            TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    version        TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    -- A draft-07 JSON Schema of the tenants' configuration, checked when saved.
    config_schema  TEXT NOT NULL CHECK (json_valid(config_schema)),
    -- Off: tenants neither see nor run it; their configurations are kept.
    is_enabled     INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- One tenant's configuration of one plugin. `config` holds the fields in clear; the secret ones
-- (writeOnly or format password in the plugin's schema) are in `sealed_secrets` instead, each
-- sealed with the master key and bound to tenant, plugin and field, so `config` never holds a
-- secret whatever reads it. Deleting a plugin deletes every tenant's configuration of it.
CREATE TABLE plugin_configs (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id              TEXT NOT NULL,
    plugin_key      TEXT NOT NULL REFERENCES plugins (key) ON DELETE CASCADE,
    config          TEXT NOT NULL CHECK (json_valid(config)),
    sealed_secrets  TEXT NOT NULL CHECK (json_valid(sealed_secrets)),
    is_enabled      INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (plugin_key, tenant_id)
);
CREATE INDEX plugin_configs_enabled ON plugin_configs (tenant_id, plugin_key) WHERE is_enabled = 1;
