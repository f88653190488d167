-- Event outbox (DESIGN §5): every state change others may react to inserts a row here in the
-- same transaction as the change. `sequence` counts events per ordering key (the object the event
-- is about), so consumers can discard stale updates.
CREATE TABLE events (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    id            TEXT NOT NULL,
    type          TEXT NOT NULL,
    ordering_key  TEXT NOT NULL,
    sequence      INTEGER NOT NULL,
    payload       TEXT NOT NULL CHECK (json_valid(payload)),
    request_id    TEXT,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, ordering_key, sequence)
);
CREATE INDEX events_type ON events (tenant_id, type, id);

CREATE TABLE event_sequences (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id),
    ordering_key   TEXT NOT NULL,
    last_sequence  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, ordering_key)
);
