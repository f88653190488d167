-- Customers: who the tenant sells to, with an optional billing address (a JSON object) and
-- their ids in other systems (stores, accounting), which syncs upsert by.
CREATE TABLE customers (
    tenant_id        TEXT NOT NULL REFERENCES tenants (id),
    id               TEXT NOT NULL,
    name             TEXT NOT NULL,
    email            TEXT,
    phone            TEXT,
    billing_address  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(billing_address)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE customer_external_refs (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    source       TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, source, external_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_external_refs_customer ON customer_external_refs (tenant_id, customer_id);
