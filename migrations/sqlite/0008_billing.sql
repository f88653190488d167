-- Invoices, their lines and the payments against them. Amounts are integer minor units of the
-- invoice's currency; amount_paid is kept on the invoice so amount_due needs no sum over payments.
-- An order has at most one invoice that is not void (the partial unique index).
CREATE TABLE invoices (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id              TEXT NOT NULL,
    number          TEXT NOT NULL,
    customer_id     TEXT NOT NULL,
    sales_order_id  TEXT,
    currency        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'issued', 'paid', 'void')),
    notes           TEXT NOT NULL DEFAULT '',
    subtotal        INTEGER NOT NULL,
    tax_total       INTEGER NOT NULL,
    total           INTEGER NOT NULL,
    amount_paid     INTEGER NOT NULL DEFAULT 0 CHECK (amount_paid >= 0 AND amount_paid <= total),
    issued_at       TEXT,
    due_at          TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, sales_order_id) REFERENCES sales_orders (tenant_id, id)
);
CREATE INDEX invoices_customer ON invoices (tenant_id, customer_id);
CREATE UNIQUE INDEX invoices_one_per_order ON invoices (tenant_id, sales_order_id)
    WHERE sales_order_id IS NOT NULL AND status <> 'void';

CREATE TABLE invoice_lines (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    id           TEXT NOT NULL,
    invoice_id   TEXT NOT NULL,
    position     INTEGER NOT NULL,
    product_id   TEXT,
    description  TEXT NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    unit_price   INTEGER NOT NULL CHECK (unit_price >= 0),
    tax_rate_bp  INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    line_total   INTEGER NOT NULL,
    line_tax     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, invoice_id, position),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) ON DELETE CASCADE
);

-- Manual payments succeed at once; gateway payments start pending and are settled later.
CREATE TABLE payments (
    tenant_id         TEXT NOT NULL REFERENCES tenants (id),
    id                TEXT NOT NULL,
    invoice_id        TEXT NOT NULL,
    amount            INTEGER NOT NULL CHECK (amount >= 1),
    currency          TEXT NOT NULL,
    method            TEXT NOT NULL CHECK (method IN ('cash', 'bank_transfer', 'card', 'other')),
    gateway           TEXT NOT NULL DEFAULT 'manual',
    gateway_ref       TEXT,
    gateway_response  TEXT,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded')),
    succeeded_at      TEXT,
    refunded_at       TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);
CREATE INDEX payments_invoice ON payments (tenant_id, invoice_id);
