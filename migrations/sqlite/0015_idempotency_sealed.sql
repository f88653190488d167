-- Stored replays of creating POSTs (issue 12): the response body is sealed with the master key
-- (core/secret_vault, bound to the row's tenant, credential and key), since it may hold a secret
-- shown once, such as a new API token; and a row expires (KILN_IDEMPOTENCY_TTL_HOURS) and is purged.
-- The rows kept so far hold responses in clear: they go, and with them only the chance to replay a
-- request sent before the upgrade.
DROP TABLE idempotency_keys;
CREATE TABLE idempotency_keys (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    principal_id   TEXT NOT NULL,
    key            TEXT NOT NULL,
    request_hash   TEXT NOT NULL,
    status         INTEGER NOT NULL,
    response_body  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, principal_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
