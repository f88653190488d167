#include "modules/events/event_outbox.hpp"

#include <stdexcept>

#include "core/uuid.hpp"
#include "jobs/job_queue.hpp"
#include "modules/events/event_dispatcher.hpp"
#include "modules/events/event_types.hpp"
#include "observability/metrics.hpp"

namespace kiln::events {

namespace {

// The per-object counter row is created or bumped in one statement; the row lock it takes
// orders concurrent events about the same object.
constexpr std::string_view kNextSequence = R"sql(
    INSERT INTO event_sequences (tenant_id, ordering_key, last_sequence) VALUES ($1, $2, 1)
    ON CONFLICT (tenant_id, ordering_key) DO UPDATE SET last_sequence = event_sequences.last_sequence + 1
    RETURNING last_sequence)sql";
constexpr std::string_view kInsert = R"sql(
    INSERT INTO events (tenant_id, id, type, ordering_key, sequence, payload, request_id, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8))sql";
constexpr std::string_view kFind = R"sql(
    SELECT id, type, ordering_key, sequence, payload, request_id, created_at FROM events
    WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kList = R"sql(
    SELECT id, type, ordering_key, sequence, payload, request_id, created_at FROM events
    WHERE tenant_id = $1 AND ($2 IS NULL OR type = $2) AND ($3 IS NULL OR id < $3)
    ORDER BY id DESC LIMIT $4)sql";
constexpr std::string_view kListPostgres = R"sql(
    SELECT id, type, ordering_key, sequence, payload, request_id, created_at FROM events
    WHERE tenant_id = $1 AND ($2::text IS NULL OR type = $2) AND ($3::uuid IS NULL OR id < $3)
    ORDER BY id DESC LIMIT $4)sql";

StoredEvent FromRow(const db::Row& row, const TenantId& tenant) {
    return {.id = row.Get<std::string>("id"),
            .tenant_id = tenant.str(),
            .type = row.Get<std::string>("type"),
            .ordering_key = row.Get<std::string>("ordering_key"),
            .sequence = row.Get<int64_t>("sequence"),
            .data = row.Get<nlohmann::json>("payload"),
            .request_id = row.GetOptional<std::string>("request_id").value_or(""),
            .timestamp = row.TimestampJson("created_at")};
}

}  // namespace

nlohmann::json StoredEvent::ToJson() const {
    return {{"id", id},
            {"type", type},
            {"tenant_id", tenant_id},
            {"ordering_key", ordering_key},
            {"sequence", sequence},
            {"timestamp", timestamp},
            {"data", data},
            {"request_id", request_id}};
}

RecordedEvent EventOutbox::Record(const db::TenantScope& scope, const std::string& type,
                                  const std::string& ordering_key, const nlohmann::json& data,
                                  const std::string& request_id) {
    if (!EventTypeRegistry::Instance().Contains(type)) throw std::logic_error("undeclared event type " + type);
    const auto sequence = scope.Exec(kNextSequence, {scope.tenant(), ordering_key}).front().Get<int64_t>(0);
    RecordedEvent event{NewUuidV7(), sequence};
    scope.Exec(kInsert, {scope.tenant(), event.id, type, ordering_key, sequence, data.dump(),
                         request_id.empty() ? db::Param(nullptr) : db::Param(request_id), Now()});
    // The dedupe key makes the dispatch job one per event whatever happens later.
    jobs::JobQueue::Enqueue(scope, std::string(EventDispatcher::kJobKind), {{"event_id", event.id}},
                            {.dedupe_key = "event:" + event.id});
    // Business counters (invoices issued, payments succeeded, …) come from here, the one place every
    // domain change passes. Counted when recorded: a transaction that rolls back later overcounts by
    // one, which a rate on a dashboard does not show.
    observability::Metrics::Instance().DomainEvent(type);
    return event;
}

std::optional<StoredEvent> EventOutbox::Find(const db::TenantScope& scope, const std::string& id) {
    const auto rows = scope.Exec(kFind, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    return FromRow(rows.front(), scope.tenant());
}

std::vector<StoredEvent> EventOutbox::List(const db::TenantScope& scope, const std::optional<std::string>& type,
                                           const std::optional<std::string>& before_id, int64_t limit) {
    const auto sql = scope.tx().dialect() == db::Dialect::kPostgres ? kListPostgres : kList;
    std::vector<StoredEvent> events;
    for (const auto& row : scope.Exec(sql, {scope.tenant(), type, before_id, limit + 1}))
        events.push_back(FromRow(row, scope.tenant()));
    return events;
}

}  // namespace kiln::events
