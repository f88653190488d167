-- Issue 12 items 1 and 10: provider endpoints are pinned in code; only a platform administrator may
-- point one integration elsewhere, and only a platform administrator opts a tenant in to the
-- platform's fallback credentials. Store objects remember the newest version applied.

-- Off for every tenant, existing ones included: a platform credential is used only where an
-- administrator decided it may be.
ALTER TABLE tenants ADD COLUMN use_platform_credentials boolean NOT NULL DEFAULT false;

-- {"base_url": …, "oauth_base_url": …}, set by PUT /admin/integrations/{id}/endpoint only.
ALTER TABLE integrations ADD COLUMN endpoint_override jsonb;

-- base_url and oauth_base_url are no tenant fields any more (custom integrations keep their own
-- base_url). A tenant-chosen URL is dropped, never moved to the override: that would make it an
-- operator-trusted destination.
UPDATE integrations SET config = config - 'base_url' - 'oauth_base_url' WHERE type <> 'custom';

-- The store's own updated_at of the newest version of each object applied (a Shopify product or
-- order): an older webhook or a replay of one changes nothing.
CREATE TABLE commerce_object_versions (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    source       text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('product', 'order')),
    external_id  text NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, source, kind, external_id)
);

SELECT kiln_protect_tenant_tables('commerce_object_versions');
