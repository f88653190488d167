-- Stock (issue 18): a product's cost and reorder level, every change of its quantity as a stock movement, and
-- whether the tenant lets stock go below zero (the quantity's CHECK moves from the table to that setting).
ALTER TABLE products DROP CONSTRAINT products_stock_quantity_check;
ALTER TABLE products ADD COLUMN unit_cost bigint NOT NULL DEFAULT 0 CHECK (unit_cost >= 0);
ALTER TABLE products ADD COLUMN reorder_level bigint CHECK (reorder_level IS NULL OR reorder_level >= 0);

CREATE TABLE stock_movements (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    product_id      uuid NOT NULL,
    quantity        bigint NOT NULL CHECK (quantity <> 0),
    quantity_after  bigint NOT NULL,
    reason          text NOT NULL CHECK (reason IN ('fulfillment', 'adjustment')),
    source_type     text,
    source_id       text,
    memo            text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
CREATE INDEX stock_movements_product ON stock_movements (tenant_id, product_id, id);

CREATE TABLE inventory_settings (
    tenant_id             uuid PRIMARY KEY REFERENCES tenants (id),
    allow_negative_stock  boolean NOT NULL DEFAULT false
);

SELECT kiln_protect_tenant_tables('stock_movements', 'inventory_settings');
