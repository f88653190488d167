-- Catalog: products, priced in integer minor units of an ISO 4217 currency, and their ids in
-- other systems (stores, accounting), which syncs upsert by.
CREATE TABLE products (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id              TEXT NOT NULL,
    sku             TEXT NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    unit_price      INTEGER NOT NULL CHECK (unit_price >= 0),
    currency        TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    stock_quantity  INTEGER NOT NULL DEFAULT 0 CHECK (stock_quantity >= 0),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, sku)
);

CREATE TABLE product_external_refs (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    source       TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    product_id   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, source, external_id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX product_external_refs_product ON product_external_refs (tenant_id, product_id);
