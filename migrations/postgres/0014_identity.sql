-- Identity (issue 12, items 2 and 11): invitations instead of admin-chosen passwords, password
-- resets, and the sign-in limiter's counters. Every token column holds the SHA-256 of a token
-- with 256 random bits; the token itself is only ever in the mail (or on an operator's terminal).

-- An admin's offer of a role to an address. `token_hash` is NULL until the mail job (or
-- `kiln admin invitation-link`) issues a token; issuing again replaces it, so only the newest
-- link works. Accepted, revoked and expired invitations stay for the record.
CREATE TABLE invitations (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    email        text NOT NULL,
    role         text NOT NULL,
    invited_by   uuid NOT NULL REFERENCES users (id),
    token_hash   text UNIQUE,
    expires_at   timestamptz NOT NULL,
    sent_at      timestamptz,
    accepted_at  timestamptz,
    accepted_by  uuid REFERENCES users (id),
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX invitations_email ON invitations (tenant_id, email);
SELECT kiln_protect_tenant_tables('invitations');

-- A requested password reset. Platform-level (a user is not a tenant's); `token_hash` is set by
-- the mail job when it sends the link.
CREATE TABLE password_resets (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id),
    token_hash  text UNIQUE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

-- Failed sign-ins, shared by every process on the database (src/auth/login_rate_limiter.cpp).
-- `key` is "pair:<account>|<address>", "address:<address>" or "account:<account>"; a row whose
-- `expires_at` has passed counts as absent and is purged.
CREATE TABLE login_attempts (
    key            text PRIMARY KEY,
    failures       integer NOT NULL,
    blocked_until  timestamptz,
    expires_at     timestamptz NOT NULL
);
CREATE INDEX login_attempts_expiry ON login_attempts (expires_at);
