-- Sales orders and their lines. Amounts are integer minor units of the order's currency; the
-- totals are stored so lists and reports need not re-add the lines.
--
-- document_sequences numbers documents per tenant and kind ("SO", later invoices): the counter
-- row is created or bumped in one statement, and SQLite has one writer at a time, so no two
-- documents get the same number.
CREATE TABLE document_sequences (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    kind         TEXT NOT NULL,
    last_number  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, kind)
);

CREATE TABLE sales_orders (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    id            TEXT NOT NULL,
    number        TEXT NOT NULL,
    customer_id   TEXT NOT NULL,
    currency      TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'confirmed', 'fulfilled', 'cancelled')),
    source        TEXT NOT NULL DEFAULT 'manual',
    external_ref  TEXT,
    notes         TEXT NOT NULL DEFAULT '',
    subtotal      INTEGER NOT NULL,
    tax_total     INTEGER NOT NULL,
    total         INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number),
    -- A store sync re-sending an order finds it instead of creating a second one.
    UNIQUE (tenant_id, source, external_ref),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX sales_orders_customer ON sales_orders (tenant_id, customer_id);

CREATE TABLE sales_order_lines (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id              TEXT NOT NULL,
    sales_order_id  TEXT NOT NULL,
    position        INTEGER NOT NULL,
    product_id      TEXT NOT NULL,
    description     TEXT NOT NULL,
    quantity        INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    unit_price      INTEGER NOT NULL CHECK (unit_price >= 0),
    tax_rate_bp     INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    line_total      INTEGER NOT NULL,
    line_tax        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, sales_order_id, position),
    FOREIGN KEY (tenant_id, sales_order_id) REFERENCES sales_orders (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
CREATE INDEX sales_order_lines_product ON sales_order_lines (tenant_id, product_id);
