-- The plugin marketplace (issue 14, the specified contract): a global registry of plugins that
-- platform administrators publish, and each tenant's configuration of them.

-- Global, like users: no tenant owns a plugin, so the table has no tenant_id and no row-level
-- security. The key names the plugin in every route and never changes.
CREATE TABLE plugins (
    id             uuid PRIMARY KEY,
    key            text NOT NULL UNIQUE,
    name           text NOT NULL,
    version        text NOT NULL,
    description    text NOT NULL DEFAULT '',
    -- A draft-07 JSON Schema of the tenants' configuration, checked when saved.
    config_schema  jsonb NOT NULL,
    -- Off: tenants neither see nor run it; their configurations are kept.
    is_enabled     boolean NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

-- One tenant's configuration of one plugin. `config` holds the fields in clear; the secret ones
-- (writeOnly or format password in the plugin's schema) are in `sealed_secrets` instead, each
-- sealed with the master key and bound to tenant, plugin and field, so `config` never holds a
-- secret whatever reads it. Deleting a plugin deletes every tenant's configuration of it (a
-- foreign key action, which row-level security does not filter).
CREATE TABLE plugin_configs (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    plugin_key      text NOT NULL REFERENCES plugins (key) ON DELETE CASCADE,
    config          jsonb NOT NULL,
    sealed_secrets  jsonb NOT NULL,
    is_enabled      boolean NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (plugin_key, tenant_id)
);
CREATE INDEX plugin_configs_enabled ON plugin_configs (tenant_id, plugin_key) WHERE is_enabled;

SELECT kiln_protect_tenant_tables('plugin_configs');
