-- The general ledger: a chart of accounts per tenant, balanced journal entries and their lines,
-- and closed accounting months. Amounts are integer minor units of the entry's currency.
--
-- Balance is checked by the database as far as SQLite allows: the entry header CHECKs that its
-- totals agree, and each line CHECKs that exactly one side is positive. A SQLite trigger cannot be
-- deferred to commit, so it cannot see all lines of an entry at once; ledger::Post therefore adds
-- the lines in code (checked arithmetic) and refuses an entry whose sums differ from its totals
-- before anything is inserted. PostgreSQL also verifies the line sums at commit (its 0007).
CREATE TABLE ledger_accounts (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
    PRIMARY KEY (tenant_id, code)
);

CREATE TABLE journal_entries (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    id            TEXT NOT NULL,
    number        TEXT NOT NULL,
    posted_at     TEXT NOT NULL,
    currency      TEXT NOT NULL,
    memo          TEXT NOT NULL DEFAULT '',
    source_type   TEXT NOT NULL,
    source_id     TEXT NOT NULL,
    posting_key   TEXT NOT NULL,
    total_debit   INTEGER NOT NULL,
    total_credit  INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (total_debit = total_credit AND total_debit > 0)
);
CREATE INDEX journal_entries_source ON journal_entries (tenant_id, source_type, source_id);
CREATE INDEX journal_entries_posted ON journal_entries (tenant_id, posted_at);

-- posting_key is unique per tenant. Kept in a side table with the same SQL on both dialects,
-- because on PostgreSQL journal_entries is partitioned and a unique key there must include
-- created_at.
CREATE TABLE journal_posting_keys (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    posting_key  TEXT NOT NULL,
    entry_id     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, posting_key)
);

CREATE TABLE journal_lines (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    entry_id      TEXT NOT NULL,
    line_no       INTEGER NOT NULL,
    account_code  TEXT NOT NULL,
    debit         INTEGER NOT NULL,
    credit        INTEGER NOT NULL,
    memo          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, entry_id, line_no),
    CHECK (debit >= 0 AND credit >= 0 AND (debit = 0) <> (credit = 0)),
    FOREIGN KEY (tenant_id, entry_id) REFERENCES journal_entries (tenant_id, id),
    FOREIGN KEY (tenant_id, account_code) REFERENCES ledger_accounts (tenant_id, code)
);
CREATE INDEX journal_lines_account ON journal_lines (tenant_id, account_code);

-- A month ('YYYY-MM') is closed while closed_at is set; reopening clears it.
CREATE TABLE accounting_periods (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    month      TEXT NOT NULL CHECK (length(month) = 7),
    closed_at  TEXT,
    closed_by  TEXT,
    PRIMARY KEY (tenant_id, month)
);
