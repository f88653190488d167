-- Platform core: tenants, identity, access, audit, idempotency.
-- Times are fixed-width ISO 8601 UTC text (see src/core/time.hpp), so text order is time order.

CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id                 TEXT PRIMARY KEY,
    email              TEXT NOT NULL UNIQUE,            -- stored lowercased
    name               TEXT NOT NULL,
    password_hash      TEXT NOT NULL,                   -- argon2id, libsodium string format
    is_platform_admin  INTEGER NOT NULL DEFAULT 0,
    is_active          INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL
);

-- Per-tenant custom roles. Built-in roles live in code (src/auth/permissions.cpp).
CREATE TABLE roles (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    permissions  TEXT NOT NULL CHECK (json_valid(permissions)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE memberships (
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    role        TEXT NOT NULL,                          -- a built-in role or a custom role's name
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- Console/API sign-in sessions. Only the SHA-256 of the bearer token is stored.
CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    token_hash  TEXT NOT NULL UNIQUE,
    client_ip   TEXT,
    user_agent  TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT
);

-- Personal API tokens, bound to one tenant, optionally narrowed to a permission subset.
CREATE TABLE api_tokens (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    id            TEXT NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    token_hint    TEXT NOT NULL,                        -- first characters, for recognising a token
    permissions   TEXT CHECK (permissions IS NULL OR json_valid(permissions)),
    expires_at    TEXT,
    last_used_at  TEXT,
    revoked_at    TEXT,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- Tamper-evident audit trail: one hash chain per tenant (hash covers the row and prev_hash).
CREATE TABLE audit_logs (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    id           TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    actor_type   TEXT NOT NULL,                          -- user, api_token, system
    actor_id     TEXT,
    action       TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    entity_id    TEXT,
    changes      TEXT NOT NULL CHECK (json_valid(changes)),
    request_id   TEXT,
    client_ip    TEXT,
    user_agent   TEXT,
    created_at   TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, seq)
);
CREATE INDEX audit_logs_entity ON audit_logs (tenant_id, entity_type, entity_id);
CREATE INDEX audit_logs_actor ON audit_logs (tenant_id, actor_id);

CREATE TABLE audit_chain_heads (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants (id),
    seq        INTEGER NOT NULL,
    hash       TEXT NOT NULL
);

-- Stored responses of creating POSTs, keyed by the caller's Idempotency-Key.
CREATE TABLE idempotency_keys (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    principal_id   TEXT NOT NULL,
    key            TEXT NOT NULL,
    request_hash   TEXT NOT NULL,
    status         INTEGER NOT NULL,
    response_body  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, principal_id, key)
);
