#include "modules/integrations/commerce/sync_repository.hpp"

namespace kiln::integrations {

namespace {

constexpr std::string_view kColumns =
    "id, integration_id, kind, state, pages, items, created, updated, errors, error, since, cursor, newest_updated_at, "
    "oldest_failed_updated_at, started_at, finished_at, created_at";
constexpr std::string_view kInsert = R"sql(
    INSERT INTO integration_syncs (tenant_id, id, integration_id, kind, state, pages, items, created, updated, errors,
                                   error, since, cursor, newest_updated_at, oldest_failed_updated_at, started_at,
                                   finished_at, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18))sql";
constexpr std::string_view kUpdate = R"sql(
    UPDATE integration_syncs SET state = $3, pages = $4, items = $5, created = $6, updated = $7, errors = $8,
                                 error = $9, cursor = $10, newest_updated_at = $11, oldest_failed_updated_at = $12,
                                 started_at = $13, finished_at = $14
    WHERE tenant_id = $1 AND id = $2)sql";

// The queue's own record of a sync's job: whether it is still coming (jobs/job_queue.hpp keeps dedupe keys unique).
constexpr std::string_view kJobState = "SELECT state FROM jobs WHERE tenant_id = $1 AND dedupe_key = $2";

std::string SelectWhere(std::string_view where) {
    return "SELECT " + std::string(kColumns) + " FROM integration_syncs WHERE " + std::string(where);
}

IntegrationSync From(const db::Row& row) {
    return {.id = SyncId(row.Get<std::string>("id")),
            .integration_id = IntegrationId(row.Get<std::string>("integration_id")),
            .kind = row.Get<std::string>("kind"),
            .state = row.Get<std::string>("state"),
            .pages = row.Get<int64_t>("pages"),
            .items = row.Get<int64_t>("items"),
            .created = row.Get<int64_t>("created"),
            .updated = row.Get<int64_t>("updated"),
            .errors = row.Get<nlohmann::json>("errors"),
            .error = row.GetOptional<std::string>("error"),
            .since = row.GetOptional<std::string>("since"),
            .cursor = row.GetOptional<std::string>("cursor"),
            .newest_updated_at = row.GetOptional<std::string>("newest_updated_at"),
            .oldest_failed_updated_at = row.GetOptional<std::string>("oldest_failed_updated_at"),
            .started_at = row.GetOptional<Timestamp>("started_at"),
            .finished_at = row.GetOptional<Timestamp>("finished_at"),
            .created_at = row.Get<Timestamp>("created_at")};
}

nlohmann::json OptionalTime(const std::optional<Timestamp>& time) {
    return time ? nlohmann::json(FormatTimestamp(*time)) : nlohmann::json(nullptr);
}

}  // namespace

void IntegrationSync::AddError(const std::string& item, const std::string& message) {
    if (errors.size() < kMaxSyncErrors) errors.push_back({{"item", item}, {"message", message}});
}

nlohmann::json IntegrationSync::ToJson() const {
    return {{"id", id.str()},
            {"integration_id", integration_id.str()},
            {"kind", kind},
            {"state", state},
            {"pages", pages},
            {"items", items},
            {"created", created},
            {"updated", updated},
            {"errors", errors},
            {"error", error ? nlohmann::json(*error) : nlohmann::json(nullptr)},
            {"since", since ? nlohmann::json(*since) : nlohmann::json(nullptr)},
            {"started_at", OptionalTime(started_at)},
            {"finished_at", OptionalTime(finished_at)},
            {"created_at", FormatTimestamp(created_at)}};
}

void SyncRepository::Insert(const db::TenantScope& scope, const IntegrationSync& sync) {
    scope.Exec(kInsert, {scope.tenant(), sync.id, sync.integration_id, sync.kind, sync.state, sync.pages, sync.items,
                         sync.created, sync.updated, sync.errors.dump(), sync.error, sync.since, sync.cursor,
                         sync.newest_updated_at, sync.oldest_failed_updated_at, sync.started_at, sync.finished_at,
                         sync.created_at});
}

std::optional<IntegrationSync> SyncRepository::Find(const db::TenantScope& scope, const SyncId& id) {
    static const std::string sql = SelectWhere("tenant_id = $1 AND id = $2");
    const auto rows = scope.Exec(sql, {scope.tenant(), id});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

std::optional<IntegrationSync> SyncRepository::FindUnfinished(const db::TenantScope& scope,
                                                              const IntegrationId& integration,
                                                              const std::string& kind) {
    static const std::string sql =
        SelectWhere("tenant_id = $1 AND integration_id = $2 AND kind = $3 AND state IN ('queued', 'running')");
    const auto rows = scope.Exec(sql, {scope.tenant(), integration, kind});
    if (rows.empty()) return std::nullopt;
    return From(rows.front());
}

void SyncRepository::Update(const db::TenantScope& scope, const IntegrationSync& sync) {
    scope.Exec(kUpdate, {scope.tenant(), sync.id, sync.state, sync.pages, sync.items, sync.created, sync.updated,
                         sync.errors.dump(), sync.error, sync.cursor, sync.newest_updated_at,
                         sync.oldest_failed_updated_at, sync.started_at, sync.finished_at});
}

std::optional<std::string> SyncRepository::JobState(const db::TenantScope& scope, const std::string& dedupe_key) {
    const auto rows = scope.Exec(kJobState, {scope.tenant(), dedupe_key});
    if (rows.empty()) return std::nullopt;
    return rows.front().Get<std::string>("state");
}

}  // namespace kiln::integrations
