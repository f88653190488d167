-- Event outbox (DESIGN §5): every state change others may react to inserts a row here in the
-- same transaction as the change. `sequence` counts events per ordering key (the object the event
-- is about), so consumers can discard stale updates.
CREATE TABLE events (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    type          text NOT NULL,
    ordering_key  text NOT NULL,
    sequence      bigint NOT NULL,
    payload       jsonb NOT NULL,
    request_id    text,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, ordering_key, sequence)
);
CREATE INDEX events_type ON events (tenant_id, type, id);

CREATE TABLE event_sequences (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    ordering_key   text NOT NULL,
    last_sequence  bigint NOT NULL,
    PRIMARY KEY (tenant_id, ordering_key)
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['events', 'event_sequences'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (kiln_tenant_visible(tenant_id))', t);
    END LOOP;
END
$$;
