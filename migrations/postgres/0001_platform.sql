-- Platform core: tenants, identity, access, audit, idempotency.
-- Row-level security is the second line of defence behind the tenant filter in every query:
-- a transaction sees a tenant's rows only after `SET LOCAL kiln.tenant_id`, or all rows when a
-- platform path sets `kiln.bypass_rls`. Kiln must connect as a role that is not a superuser.

CREATE FUNCTION kiln_tenant_visible(row_tenant uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT current_setting('kiln.bypass_rls', true) = 'on'
        OR row_tenant = NULLIF(current_setting('kiln.tenant_id', true), '')::uuid
$$;

-- Creates the monthly range partitions of `parent` from `months_back` months ago to
-- `months_ahead` months ahead ("<parent>_pYYYYMM"). Called at start-up and by the scheduler.
CREATE FUNCTION kiln_ensure_monthly_partitions(parent text, months_back int, months_ahead int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    month_start date;
    partition_name text;
BEGIN
    FOR i IN -months_back..months_ahead LOOP
        month_start := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i))::date;
        partition_name := format('%s_p%s', parent, to_char(month_start, 'YYYYMM'));
        IF to_regclass(partition_name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                           partition_name, parent, month_start::timestamptz,
                           (month_start + interval '1 month')::timestamptz);
        END IF;
    END LOOP;
END
$$;

CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    slug        text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL
);

CREATE TABLE users (
    id                 uuid PRIMARY KEY,
    email              text NOT NULL UNIQUE,
    name               text NOT NULL,
    password_hash      text NOT NULL,
    is_platform_admin  boolean NOT NULL DEFAULT false,
    is_active          boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL
);

CREATE TABLE roles (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    name         text NOT NULL,
    description  text NOT NULL DEFAULT '',
    permissions  jsonb NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE memberships (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    user_id     uuid NOT NULL REFERENCES users (id),
    role        text NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE sessions (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id),
    token_hash  text NOT NULL UNIQUE,
    client_ip   text,
    user_agent  text,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

CREATE TABLE api_tokens (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    user_id       uuid NOT NULL REFERENCES users (id),
    name          text NOT NULL,
    token_hash    text NOT NULL UNIQUE,
    token_hint    text NOT NULL,
    permissions   jsonb,
    expires_at    timestamptz,
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- Range-partitioned by month on created_at (DESIGN §4). The primary key must contain the
-- partition key; (tenant_id, seq) uniqueness is kept by the chain head row lock instead.
CREATE TABLE audit_logs (
    tenant_id    uuid NOT NULL,
    id           uuid NOT NULL,
    seq          bigint NOT NULL,
    actor_type   text NOT NULL,
    actor_id     text,
    action       text NOT NULL,
    entity_type  text NOT NULL,
    entity_id    text,
    changes      jsonb NOT NULL,
    request_id   text,
    client_ip    text,
    user_agent   text,
    created_at   timestamptz NOT NULL,
    prev_hash    text NOT NULL,
    hash         text NOT NULL,
    PRIMARY KEY (tenant_id, id, created_at)
) PARTITION BY RANGE (created_at);
CREATE TABLE audit_logs_default PARTITION OF audit_logs DEFAULT;
CREATE INDEX audit_logs_seq ON audit_logs (tenant_id, seq);
CREATE INDEX audit_logs_entity ON audit_logs (tenant_id, entity_type, entity_id);
CREATE INDEX audit_logs_actor ON audit_logs (tenant_id, actor_id);
SELECT kiln_ensure_monthly_partitions('audit_logs', 1, 3);

CREATE TABLE audit_chain_heads (
    tenant_id  uuid PRIMARY KEY REFERENCES tenants (id),
    seq        bigint NOT NULL,
    hash       text NOT NULL
);

CREATE TABLE idempotency_keys (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    principal_id   text NOT NULL,
    key            text NOT NULL,
    request_hash   text NOT NULL,
    status         integer NOT NULL,
    response_body  text NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, principal_id, key)
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['roles', 'memberships', 'api_tokens', 'audit_logs', 'audit_chain_heads',
                             'idempotency_keys'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (kiln_tenant_visible(tenant_id))', t);
    END LOOP;
    ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
    ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON tenants USING (kiln_tenant_visible(id));
END
$$;
