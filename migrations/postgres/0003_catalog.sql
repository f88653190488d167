-- Catalog: products, priced in integer minor units of an ISO 4217 currency, and their ids in
-- other systems (stores, accounting), which syncs upsert by.
CREATE TABLE products (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    sku             text NOT NULL,
    name            text NOT NULL,
    description     text NOT NULL DEFAULT '',
    unit_price      bigint NOT NULL CHECK (unit_price >= 0),
    currency        text NOT NULL,
    active          boolean NOT NULL DEFAULT true,
    stock_quantity  bigint NOT NULL DEFAULT 0 CHECK (stock_quantity >= 0),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, sku)
);

CREATE TABLE product_external_refs (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    source       text NOT NULL,
    external_id  text NOT NULL,
    product_id   uuid NOT NULL,
    PRIMARY KEY (tenant_id, source, external_id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX product_external_refs_product ON product_external_refs (tenant_id, product_id);

-- The row-level-security setup every tenant table gets (see 0001), once, for this and later migrations.
CREATE FUNCTION kiln_protect_tenant_tables(VARIADIC tables text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY tables LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (kiln_tenant_visible(tenant_id))', t);
    END LOOP;
END
$$;

SELECT kiln_protect_tenant_tables('products', 'product_external_refs');
