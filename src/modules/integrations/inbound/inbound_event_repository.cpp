#include "modules/integrations/inbound/inbound_event_repository.hpp"

namespace kiln::integrations {

namespace {

constexpr std::string_view kInsert = R"sql(
    INSERT INTO inbound_events (tenant_id, id, integration_id, provider, provider_event_id, event_type, payload, state,
        received_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (tenant_id, integration_id, provider_event_id) DO NOTHING
    RETURNING id)sql";
constexpr std::string_view kSelect = R"sql(
    SELECT id, integration_id, provider, provider_event_id, event_type, payload, state, result, received_at,
        processed_at
    FROM inbound_events WHERE tenant_id = $1 AND id = $2)sql";
constexpr std::string_view kFinish = R"sql(
    UPDATE inbound_events SET state = $3, result = $4, processed_at = $5 WHERE tenant_id = $1 AND id = $2)sql";

}  // namespace

nlohmann::json InboundEvent::ToJson() const {
    return {{"id", id.str()},
            {"integration_id", integration_id},
            {"provider", provider},
            {"provider_event_id", provider_event_id},
            {"event_type", event_type},
            {"state", state},
            {"result", result ? *result : nlohmann::json()},
            {"received_at", FormatTimestamp(received_at)},
            {"processed_at", processed_at ? nlohmann::json(FormatTimestamp(*processed_at)) : nlohmann::json()}};
}

bool InboundEventRepository::InsertIfNew(const db::TenantScope& scope, const InboundEvent& e) {
    return !scope
                .Exec(kInsert, {scope.tenant(), e.id, e.integration_id, e.provider, e.provider_event_id, e.event_type,
                                e.payload, e.state, e.received_at})
                .empty();
}

std::optional<InboundEvent> InboundEventRepository::Find(const db::TenantScope& scope, const InboundEventId& id) {
    const auto rows = scope.Exec(kSelect, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    const auto& row = rows.front();
    InboundEvent e{.id = InboundEventId(row.Get<std::string>("id")),
                   .integration_id = row.Get<std::string>("integration_id"),
                   .provider = row.Get<std::string>("provider"),
                   .provider_event_id = row.Get<std::string>("provider_event_id"),
                   .event_type = row.Get<std::string>("event_type"),
                   .payload = row.Get<std::string>("payload"),
                   .state = row.Get<std::string>("state"),
                   .result = std::nullopt,
                   .received_at = row.Get<Timestamp>("received_at"),
                   .processed_at = row.GetOptional<Timestamp>("processed_at")};
    if (const auto result = row.GetOptional<std::string>("result"))
        e.result = nlohmann::json::parse(*result, nullptr, false);
    return e;
}

void InboundEventRepository::Finish(const db::TenantScope& scope, const InboundEventId& id, const std::string& state,
                                    const nlohmann::json& result) {
    scope.Exec(kFinish, {scope.tenant(), id, state, result.dump(), Now()});
}

}  // namespace kiln::integrations
