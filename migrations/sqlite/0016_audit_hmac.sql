-- The audit chain becomes keyed (issue 12, item 14): rows from here on carry an HMAC-SHA256 under a
-- per-tenant key derived from the master key; the rows already written stay plain SHA-256 and
-- still verify, and the chain continues across the switch.
-- hash_version: 1 = SHA-256 (rows written before this migration), 2 = HMAC-SHA256.
-- key_id: the master key (SecretVault key id) the row's HMAC key was derived from; NULL for v1.
ALTER TABLE audit_logs ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1 CHECK (hash_version IN (1, 2));
ALTER TABLE audit_logs ADD COLUMN key_id TEXT;

-- keyed_from_seq: the first seq that must be HMAC-signed (1 for chains started after this
-- migration). head_mac: HMAC of (seq, hash, keyed_from_seq) under the tenant's key, rewritten on
-- every append, so neither the head nor the switch point can be moved without the key.
ALTER TABLE audit_chain_heads ADD COLUMN keyed_from_seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_chain_heads ADD COLUMN head_mac TEXT;
ALTER TABLE audit_chain_heads ADD COLUMN head_key_id TEXT;
UPDATE audit_chain_heads SET keyed_from_seq = seq + 1;

-- Where the last successful GET /audit-logs/verify stopped, so the next one continues from there;
-- mac binds (seq, hash) to the tenant's key, so the checkpoint cannot be moved forward by hand.
CREATE TABLE audit_verifications (
    tenant_id    TEXT PRIMARY KEY REFERENCES tenants (id),
    seq          INTEGER NOT NULL,
    hash         TEXT NOT NULL,
    mac          TEXT NOT NULL,
    key_id       TEXT NOT NULL,
    verified_at  TEXT NOT NULL
);
