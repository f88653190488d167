-- Sales orders and their lines. Amounts are integer minor units of the order's currency; the
-- totals are stored so lists and reports need not re-add the lines.
--
-- document_sequences numbers documents per tenant and kind ("SO", later invoices): the counter
-- row is created or bumped in one statement, whose row lock serialises concurrent numbering.
CREATE TABLE document_sequences (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    kind         text NOT NULL,
    last_number  bigint NOT NULL,
    PRIMARY KEY (tenant_id, kind)
);

CREATE TABLE sales_orders (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    number        text NOT NULL,
    customer_id   uuid NOT NULL,
    currency      text NOT NULL,
    status        text NOT NULL CHECK (status IN ('draft', 'confirmed', 'fulfilled', 'cancelled')),
    source        text NOT NULL DEFAULT 'manual',
    external_ref  text,
    notes         text NOT NULL DEFAULT '',
    subtotal      bigint NOT NULL,
    tax_total     bigint NOT NULL,
    total         bigint NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number),
    -- A store sync re-sending an order finds it instead of creating a second one.
    UNIQUE (tenant_id, source, external_ref),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX sales_orders_customer ON sales_orders (tenant_id, customer_id);

CREATE TABLE sales_order_lines (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    sales_order_id  uuid NOT NULL,
    position        integer NOT NULL,
    product_id      uuid NOT NULL,
    description     text NOT NULL,
    quantity        bigint NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    unit_price      bigint NOT NULL CHECK (unit_price >= 0),
    tax_rate_bp     integer NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    line_total      bigint NOT NULL,
    line_tax        bigint NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, sales_order_id, position),
    FOREIGN KEY (tenant_id, sales_order_id) REFERENCES sales_orders (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
CREATE INDEX sales_order_lines_product ON sales_order_lines (tenant_id, product_id);

SELECT kiln_protect_tenant_tables('document_sequences', 'sales_orders', 'sales_order_lines');
