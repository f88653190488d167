-- kiln: rebuilds tables
-- Stock (issue 18): a product's cost and reorder level, every change of its quantity as a stock movement, and
-- whether the tenant lets stock go below zero. The quantity's CHECK (>= 0) moves from the table to the tenant's
-- setting, and SQLite changes a CHECK only by copying the table (foreign keys off while it does; see
-- TransactionOptions::rebuilds_tables).
CREATE TABLE products_rebuilt (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id              TEXT NOT NULL,
    sku             TEXT NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    unit_price      INTEGER NOT NULL CHECK (unit_price >= 0),
    currency        TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    stock_quantity  INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    unit_cost       INTEGER NOT NULL DEFAULT 0 CHECK (unit_cost >= 0),
    reorder_level   INTEGER CHECK (reorder_level IS NULL OR reorder_level >= 0),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, sku)
);
INSERT INTO products_rebuilt (tenant_id, id, sku, name, description, unit_price, currency, active, stock_quantity,
                              created_at, updated_at)
SELECT tenant_id, id, sku, name, description, unit_price, currency, active, stock_quantity, created_at, updated_at
FROM products;
DROP TABLE products;
ALTER TABLE products_rebuilt RENAME TO products;

CREATE TABLE stock_movements (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id              TEXT NOT NULL,
    product_id      TEXT NOT NULL,
    quantity        INTEGER NOT NULL CHECK (quantity <> 0),
    quantity_after  INTEGER NOT NULL,
    reason          TEXT NOT NULL CHECK (reason IN ('fulfillment', 'adjustment')),
    source_type     TEXT,
    source_id       TEXT,
    memo            TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
CREATE INDEX stock_movements_product ON stock_movements (tenant_id, product_id, id);

CREATE TABLE inventory_settings (
    tenant_id             TEXT PRIMARY KEY REFERENCES tenants (id),
    allow_negative_stock  INTEGER NOT NULL DEFAULT 0
);
