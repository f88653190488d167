-- The general ledger: a chart of accounts per tenant, balanced journal entries and their lines,
-- and closed accounting months. Amounts are integer minor units of the entry's currency.
--
-- Balance is checked by the database: the entry header CHECKs that its totals agree, each line
-- CHECKs that exactly one side is positive, and a constraint trigger deferred to commit verifies
-- that the lines of an entry add up to its totals on both sides.
CREATE TABLE ledger_accounts (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    code       text NOT NULL,
    name       text NOT NULL,
    type       text NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
    PRIMARY KEY (tenant_id, code)
);

-- Range-partitioned by month on created_at, like audit_logs (0001): the primary key must contain
-- the partition key. kiln_ensure_monthly_partitions() is also called at start.
CREATE TABLE journal_entries (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    number        text NOT NULL,
    posted_at     timestamptz NOT NULL,
    currency      text NOT NULL,
    memo          text NOT NULL DEFAULT '',
    source_type   text NOT NULL,
    source_id     text NOT NULL,
    posting_key   text NOT NULL,
    total_debit   bigint NOT NULL,
    total_credit  bigint NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id, created_at),
    CHECK (total_debit = total_credit AND total_debit > 0)
) PARTITION BY RANGE (created_at);
CREATE TABLE journal_entries_default PARTITION OF journal_entries DEFAULT;
CREATE INDEX journal_entries_id ON journal_entries (tenant_id, id);
CREATE INDEX journal_entries_source ON journal_entries (tenant_id, source_type, source_id);
CREATE INDEX journal_entries_posted ON journal_entries (tenant_id, posted_at);
SELECT kiln_ensure_monthly_partitions('journal_entries', 1, 3);

-- posting_key is unique per tenant. A unique key on the partitioned journal_entries would have
-- to include created_at, so the uniqueness lives in this side table (same SQL as on SQLite).
CREATE TABLE journal_posting_keys (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    posting_key  text NOT NULL,
    entry_id     uuid NOT NULL,
    PRIMARY KEY (tenant_id, posting_key)
);

-- Lines point at their entry by (tenant_id, entry_id) without a foreign key: a foreign key must
-- reference a unique key, and the partitioned parent's keys all include created_at. The deferred
-- trigger below finds the entry for every line instead, and lines are only ever written by
-- ledger::Post together with their entry.
CREATE TABLE journal_lines (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    entry_id      uuid NOT NULL,
    line_no       integer NOT NULL,
    account_code  text NOT NULL,
    debit         bigint NOT NULL,
    credit        bigint NOT NULL,
    memo          text NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, entry_id, line_no),
    CHECK (debit >= 0 AND credit >= 0 AND (debit = 0) <> (credit = 0)),
    FOREIGN KEY (tenant_id, account_code) REFERENCES ledger_accounts (tenant_id, code)
);
CREATE INDEX journal_lines_account ON journal_lines (tenant_id, account_code);

-- At commit, for each entry whose lines changed: the entry exists and sum(debit) = sum(credit) =
-- its totals. Sums are numeric, so they cannot overflow.
CREATE FUNCTION kiln_journal_entry_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    line journal_lines;
    entry_debit bigint;
    entry_credit bigint;
    line_debit numeric;
    line_credit numeric;
BEGIN
    IF TG_OP = 'DELETE' THEN
        line := OLD;
    ELSE
        line := NEW;
    END IF;
    SELECT total_debit, total_credit INTO entry_debit, entry_credit
    FROM journal_entries WHERE tenant_id = line.tenant_id AND id = line.entry_id;
    SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0) INTO line_debit, line_credit
    FROM journal_lines WHERE tenant_id = line.tenant_id AND entry_id = line.entry_id;
    IF entry_debit IS NULL THEN
        IF line_debit <> 0 OR line_credit <> 0 THEN
            RAISE EXCEPTION 'journal lines of a missing entry %', line.entry_id USING ERRCODE = 'check_violation';
        END IF;
    ELSIF line_debit <> line_credit OR line_debit <> entry_debit OR line_credit <> entry_credit THEN
        RAISE EXCEPTION 'journal entry % is not balanced', line.entry_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER journal_lines_balanced
    AFTER INSERT OR UPDATE OR DELETE ON journal_lines
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION kiln_journal_entry_balanced();

-- A month ('YYYY-MM') is closed while closed_at is set; reopening clears it.
CREATE TABLE accounting_periods (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    month      text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    closed_at  timestamptz,
    closed_by  text,
    PRIMARY KEY (tenant_id, month)
);

SELECT kiln_protect_tenant_tables('ledger_accounts', 'journal_entries', 'journal_posting_keys', 'journal_lines',
                                  'accounting_periods');
