-- A chart of accounts the tenant keeps (issue 18): accounts group under a parent and are deactivated rather than
-- deleted once they have postings; ledger_settings names the account each kind of posting goes to.
ALTER TABLE ledger_accounts ADD COLUMN parent_code text;
ALTER TABLE ledger_accounts ADD COLUMN is_active boolean NOT NULL DEFAULT true;

CREATE TABLE ledger_settings (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    purpose       text NOT NULL,
    account_code  text NOT NULL,
    PRIMARY KEY (tenant_id, purpose),
    FOREIGN KEY (tenant_id, account_code) REFERENCES ledger_accounts (tenant_id, code)
);

SELECT kiln_protect_tenant_tables('ledger_settings');
