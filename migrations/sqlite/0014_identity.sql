-- Identity (issue 12, items 2 and 11): invitations instead of admin-chosen passwords, password
-- resets, and the sign-in limiter's counters. Every token column holds the SHA-256 of a token
-- with 256 random bits; the token itself is only ever in the mail (or on an operator's terminal).

-- An admin's offer of a role to an address. `token_hash` is NULL until the mail job (or
-- `kiln admin invitation-link`) issues a token; issuing again replaces it, so only the newest
-- link works. Accepted, revoked and expired invitations stay for the record.
CREATE TABLE invitations (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    id           TEXT NOT NULL,
    email        TEXT NOT NULL,                       -- stored lowercased
    role         TEXT NOT NULL,
    invited_by   TEXT NOT NULL REFERENCES users (id),
    token_hash   TEXT UNIQUE,
    expires_at   TEXT NOT NULL,
    sent_at      TEXT,
    accepted_at  TEXT,
    accepted_by  TEXT REFERENCES users (id),
    revoked_at   TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX invitations_email ON invitations (tenant_id, email);

-- A requested password reset. Platform-level (a user is not a tenant's); `token_hash` is set by
-- the mail job when it sends the link.
CREATE TABLE password_resets (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    token_hash  TEXT UNIQUE,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

-- Failed sign-ins, shared by every process on the database (src/auth/login_rate_limiter.cpp).
-- `key` is "pair:<account>|<address>", "address:<address>" or "account:<account>"; a row whose
-- `expires_at` has passed counts as absent and is purged.
CREATE TABLE login_attempts (
    key            TEXT PRIMARY KEY,
    failures       INTEGER NOT NULL,
    blocked_until  TEXT,
    expires_at     TEXT NOT NULL
);
CREATE INDEX login_attempts_expiry ON login_attempts (expires_at);
