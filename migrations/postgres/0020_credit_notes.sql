-- Credit notes and partial refunds (issue 18): an invoice is partially paid or credited, what credit notes took
-- off it is kept beside what payments paid, and a payment remembers how much of it was refunded.
ALTER TABLE invoices DROP CONSTRAINT invoices_status_check;
UPDATE invoices SET status = 'partially_paid' WHERE status = 'issued' AND amount_paid > 0;
ALTER TABLE invoices ADD CONSTRAINT invoices_status_check
    CHECK (status IN ('draft', 'issued', 'partially_paid', 'paid', 'credited', 'void'));
ALTER TABLE invoices ADD COLUMN amount_credited bigint NOT NULL DEFAULT 0 CHECK (amount_credited >= 0);
ALTER TABLE invoices ADD CONSTRAINT invoices_paid_and_credited_check CHECK (amount_paid + amount_credited <= total);

ALTER TABLE payments ADD COLUMN refunded_amount bigint NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0);
UPDATE payments SET refunded_amount = amount WHERE status = 'refunded';

CREATE TABLE credit_notes (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    number      text NOT NULL,
    invoice_id  uuid NOT NULL,
    currency    text NOT NULL,
    reason      text NOT NULL DEFAULT '',
    subtotal    bigint NOT NULL,
    tax_total   bigint NOT NULL,
    total       bigint NOT NULL CHECK (total > 0),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);
CREATE INDEX credit_notes_invoice ON credit_notes (tenant_id, invoice_id);

CREATE TABLE credit_note_lines (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    credit_note_id  uuid NOT NULL,
    position        integer NOT NULL,
    product_id      uuid,
    description     text NOT NULL,
    quantity        bigint NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
    unit_price      bigint NOT NULL CHECK (unit_price >= 0),
    tax_rate_bp     integer NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    line_total      bigint NOT NULL,
    line_tax        bigint NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, credit_note_id, position),
    FOREIGN KEY (tenant_id, credit_note_id) REFERENCES credit_notes (tenant_id, id) ON DELETE CASCADE
);

SELECT kiln_protect_tenant_tables('credit_notes', 'credit_note_lines');
