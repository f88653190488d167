-- Invoices, their lines and the payments against them. Amounts are integer minor units of the
-- invoice's currency; amount_paid is kept on the invoice so amount_due needs no sum over payments.
-- An order has at most one invoice that is not void (the partial unique index).
CREATE TABLE invoices (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    number          text NOT NULL,
    customer_id     uuid NOT NULL,
    sales_order_id  uuid,
    currency        text NOT NULL,
    status          text NOT NULL CHECK (status IN ('draft', 'issued', 'paid', 'void')),
    notes           text NOT NULL DEFAULT '',
    subtotal        bigint NOT NULL,
    tax_total       bigint NOT NULL,
    total           bigint NOT NULL,
    amount_paid     bigint NOT NULL DEFAULT 0 CHECK (amount_paid >= 0 AND amount_paid <= total),
    issued_at       timestamptz,
    due_at          timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, sales_order_id) REFERENCES sales_orders (tenant_id, id)
);
CREATE INDEX invoices_customer ON invoices (tenant_id, customer_id);
CREATE UNIQUE INDEX invoices_one_per_order ON invoices (tenant_id, sales_order_id)
    WHERE sales_order_id IS NOT NULL AND status <> 'void';

CREATE TABLE invoice_lines (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    invoice_id   uuid NOT NULL,
    position     integer NOT NULL,
    product_id   uuid,
    description  text NOT NULL,
    quantity     bigint NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    unit_price   bigint NOT NULL CHECK (unit_price >= 0),
    tax_rate_bp  integer NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    line_total   bigint NOT NULL,
    line_tax     bigint NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, invoice_id, position),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) ON DELETE CASCADE
);

-- Manual payments succeed at once; gateway payments start pending and are settled later.
CREATE TABLE payments (
    tenant_id         uuid NOT NULL REFERENCES tenants (id),
    id                uuid NOT NULL,
    invoice_id        uuid NOT NULL,
    amount            bigint NOT NULL CHECK (amount >= 1),
    currency          text NOT NULL,
    method            text NOT NULL CHECK (method IN ('cash', 'bank_transfer', 'card', 'other')),
    gateway           text NOT NULL DEFAULT 'manual',
    gateway_ref       text,
    gateway_response  text,
    status            text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded')),
    succeeded_at      timestamptz,
    refunded_at       timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);
CREATE INDEX payments_invoice ON payments (tenant_id, invoice_id);

SELECT kiln_protect_tenant_tables('invoices', 'invoice_lines', 'payments');
