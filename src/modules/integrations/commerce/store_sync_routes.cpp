#include "core/uuid.hpp"
#include "http/request_context.hpp"
#include "http/route_group.hpp"
#include "jobs/job_queue.hpp"
#include "modules/integrations/commerce/store_sync.hpp"
#include "modules/integrations/commerce/sync_repository.hpp"
#include "modules/integrations/provider_registry.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

/// Where an incremental sync of `kind` starts: the newest updated_at the last successful one applied.
std::optional<std::string> SinceOf(const Integration& integration, const std::string& kind) {
    const auto it = integration.sync_state.find(kind);
    if (it == integration.sync_state.end() || !it->is_string() || it->get<std::string>().empty()) return std::nullopt;
    return it->get<std::string>();
}

Conflict AlreadyRunning(const std::string& kind, const std::optional<IntegrationSync>& unfinished) {
    if (!unfinished) return Conflict("A " + kind + " sync of this integration is already queued or running.");
    return Conflict("A " + kind + " sync of this integration is already " + unfinished->state + ": " +
                    unfinished->id.str() + ".");
}

/// An unfinished sync whose job the queue gave up on (its process died during every attempt, so the sync could
/// not fail itself) is marked failed here; otherwise it would block its kind for good.
bool Abandoned(const db::TenantScope& scope, IntegrationSync& sync) {
    const auto job = SyncRepository::JobState(scope, StoreSyncJobKey(sync.id.str()));
    // queued, running, or failed and waiting for its retry: the job will still finish the sync.
    if (job && (*job == "queued" || *job == "running" || *job == "failed")) return false;
    sync.state = "failed";
    sync.error = "the sync job stopped before the sync finished";
    sync.finished_at = Now();
    SyncRepository::Update(scope, sync);
    return true;
}

/// The sync of one store provider's `kind`: its integration is the one named, or the tenant's default commerce
/// integration, and must be of `store` (the provider the route's path names).
http::Handler StartSync(const IntegrationService& service, const Provider& store, const std::string& kind) {
    return [&service, &store, kind](http::RequestContext& ctx) {
        const json& body = ctx.body();
        std::optional<std::string> chosen;
        if (body.contains("integration_id") && body["integration_id"].is_string()) chosen = body["integration_id"];
        const Integration integration = service.Choose(ctx.scope(), chosen, "commerce");
        if (integration.type != store.type())
            throw ValidationError("integration_id", "is a " + integration.type + " integration; only " +
                                                        store.spec().title + " stores sync here");
        if (integration.status == "inactive") throw ValidationError("integration_id", "names an inactive integration");
        if (auto unfinished = SyncRepository::FindUnfinished(ctx.scope(), integration.id, kind)) {
            if (!Abandoned(ctx.scope(), *unfinished)) throw AlreadyRunning(kind, unfinished);
        }

        const bool full = body.value("full", false);
        const IntegrationSync sync{.id = SyncId(NewUuidV7()),
                                   .integration_id = integration.id,
                                   .kind = kind,
                                   .state = "queued",
                                   .since = full ? std::nullopt : SinceOf(integration, kind),
                                   .created_at = Now()};
        try {
            SyncRepository::Insert(ctx.scope(), sync);
        } catch (const db::UniqueViolation&) {
            // Another request started one between the check and the insert (its id is not visible from here).
            throw AlreadyRunning(kind, std::nullopt);
        }
        jobs::JobQueue::Enqueue(ctx.scope(), kStoreSyncJob, {{"sync_id", sync.id.str()}},
                                {.max_attempts = kStoreSyncMaxAttempts, .dedupe_key = StoreSyncJobKey(sync.id.str())});
        ctx.Audit("integrations.sync", integration.id.str(),
                  {{"kind", kind}, {"sync_id", sync.id.str()}, {"full", full}, {"since", sync.ToJson()["since"]}});
        return http::Response::Json(202, sync.ToJson());
    };
}

http::Handler GetSync() {
    return [](http::RequestContext& ctx) {
        const IntegrationId integration(ctx.IdParam("id"));
        const auto sync = SyncRepository::Find(ctx.scope(), SyncId(ctx.IdParam("sync_id")));
        if (!sync || sync->integration_id != integration) throw ctx.NotFoundError();
        return http::Response::Json(200, sync->ToJson());
    };
}

http::Schema SyncBody(const Provider& store) {
    return http::Schema::Object()
        .Field("integration_id",
               http::Schema::String().Format("uuid").Description(
                   "A " + store.type() + " integration; the tenant's default commerce integration when absent"))
        .Field("full", http::Schema::Boolean().Description(
                           "Fetch everything instead of only what changed since the last successful sync"));
}

/// "Start a sync of the Shopify store's products into Kiln …", for the route of one provider and kind.
std::string SyncSummary(const std::string& title, const std::string& kind) {
    std::string summary = "Start a sync of the ";
    summary.append(title).append(" store's ").append(kind);
    summary.append(" into Kiln (incremental unless full); 409 while one is unfinished");
    return summary;
}

}  // namespace

void RegisterStoreSyncRoutes(http::RouteTable& routes, const IntegrationService& service) {
    http::RouteGroup group(routes, "integrations", "integrations", "integration");
    // Each store provider (capability commerce) syncs under its own path: /integrations/<type>/sync-<kind>.
    for (const auto& provider : Providers().All()) {
        if (provider->spec().capability != "commerce") continue;
        const std::string& title = provider->spec().title;
        for (const std::string kind : {"products", "orders"}) {
            group.Add({.method = http::Method::kPost,
                       .path = "/integrations/" + provider->type() + "/sync-" + kind,
                       .operation_id = "sync" + title + (kind == "products" ? "Products" : "Orders"),
                       .summary = SyncSummary(title, kind),
                       .body = SyncBody(*provider),
                       .success_status = 202,
                       .handler = StartSync(service, *provider, kind)},
                      "update");
        }
    }
    group.Add({.method = http::Method::kGet,
               .path = "/integrations/{id}/syncs/{sync_id}",
               .operation_id = "getIntegrationSync",
               .summary = "A store sync's state and progress: pages, items, created, updated and item errors",
               .handler = GetSync()},
              "read");
}

}  // namespace kiln::integrations
