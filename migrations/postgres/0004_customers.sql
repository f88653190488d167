-- Customers: who the tenant sells to, with an optional billing address (a JSON object) and
-- their ids in other systems (stores, accounting), which syncs upsert by.
CREATE TABLE customers (
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    id               uuid NOT NULL,
    name             text NOT NULL,
    email            text,
    phone            text,
    billing_address  jsonb NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE customer_external_refs (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    source       text NOT NULL,
    external_id  text NOT NULL,
    customer_id  uuid NOT NULL,
    PRIMARY KEY (tenant_id, source, external_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_external_refs_customer ON customer_external_refs (tenant_id, customer_id);

SELECT kiln_protect_tenant_tables('customers', 'customer_external_refs');
