-- kiln: rebuilds tables
-- Credit notes and partial refunds (issue 18): an invoice is partially paid or credited, what credit notes took
-- off it is kept beside what payments paid, and a payment remembers how much of it was refunded. SQLite changes the
-- status CHECK only by copying the table (foreign keys off while it does; see TransactionOptions::rebuilds_tables).
CREATE TABLE invoices_rebuilt (
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    id               TEXT NOT NULL,
    number           TEXT NOT NULL,
    customer_id      TEXT NOT NULL,
    sales_order_id   TEXT,
    currency         TEXT NOT NULL,
    status           TEXT NOT NULL
                     CHECK (status IN ('draft', 'issued', 'partially_paid', 'paid', 'credited', 'void')),
    notes            TEXT NOT NULL DEFAULT '',
    subtotal         INTEGER NOT NULL,
    tax_total        INTEGER NOT NULL,
    total            INTEGER NOT NULL,
    amount_paid      INTEGER NOT NULL DEFAULT 0 CHECK (amount_paid >= 0 AND amount_paid <= total),
    issued_at        TEXT,
    due_at           TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    amount_credited  INTEGER NOT NULL DEFAULT 0 CHECK (amount_credited >= 0),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, sales_order_id) REFERENCES sales_orders (tenant_id, id),
    CHECK (amount_paid + amount_credited <= total)
);
INSERT INTO invoices_rebuilt (tenant_id, id, number, customer_id, sales_order_id, currency, status, notes, subtotal,
                              tax_total, total, amount_paid, issued_at, due_at, created_at, updated_at)
SELECT tenant_id, id, number, customer_id, sales_order_id, currency,
       CASE WHEN status = 'issued' AND amount_paid > 0 THEN 'partially_paid' ELSE status END,
       notes, subtotal, tax_total, total, amount_paid, issued_at, due_at, created_at, updated_at
FROM invoices;
DROP TABLE invoices;
ALTER TABLE invoices_rebuilt RENAME TO invoices;
CREATE INDEX invoices_customer ON invoices (tenant_id, customer_id);
CREATE UNIQUE INDEX invoices_one_per_order ON invoices (tenant_id, sales_order_id)
    WHERE sales_order_id IS NOT NULL AND status <> 'void';

ALTER TABLE payments ADD COLUMN refunded_amount INTEGER NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0);
UPDATE payments SET refunded_amount = amount WHERE status = 'refunded';

CREATE TABLE credit_notes (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    id          TEXT NOT NULL,
    number      TEXT NOT NULL,
    invoice_id  TEXT NOT NULL,
    currency    TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    subtotal    INTEGER NOT NULL,
    tax_total   INTEGER NOT NULL,
    total       INTEGER NOT NULL CHECK (total > 0),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);
CREATE INDEX credit_notes_invoice ON credit_notes (tenant_id, invoice_id);

CREATE TABLE credit_note_lines (
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    id              TEXT NOT NULL,
    credit_note_id  TEXT NOT NULL,
    position        INTEGER NOT NULL,
    product_id      TEXT,
    description     TEXT NOT NULL,
    quantity        INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    unit_price      INTEGER NOT NULL CHECK (unit_price >= 0),
    tax_rate_bp     INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    line_total      INTEGER NOT NULL,
    line_tax        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, credit_note_id, position),
    FOREIGN KEY (tenant_id, credit_note_id) REFERENCES credit_notes (tenant_id, id) ON DELETE CASCADE
);
