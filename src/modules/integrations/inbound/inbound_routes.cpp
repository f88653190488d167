#include "modules/integrations/inbound/inbound_routes.hpp"

#include "core/log.hpp"
#include "core/uuid.hpp"
#include "http/request_context.hpp"
#include "jobs/job_queue.hpp"
#include "modules/integrations/inbound/inbound_effects.hpp"
#include "modules/integrations/inbound/inbound_verification.hpp"

namespace kiln::integrations {

namespace {

constexpr std::string_view kJobKind = "integration.inbound";

/// The URL the provider posted to, as it saw it: Twilio signs it. The integration's configured
/// status_callback_url is authoritative (proxies change what Kiln sees); otherwise the Host header
/// and the forwarded scheme rebuild it.
std::string PublicUrl(const ProviderConfig& config, const http::Request& request) {
    if (auto configured = config.Get("status_callback_url"); !configured.empty()) return configured;
    const std::string scheme = request.Header("x-forwarded-proto").value_or("http");
    return scheme + "://" + request.Header("host").value_or("") + request.path;
}

struct HookTarget {
    TenantId tenant;
    Integration integration;
};

HookTarget FindTarget(db::Database& db, const IntegrationService& service, const std::string& raw_id) {
    const NotFound missing("No integration receives webhooks at this address.");
    if (!IsUuid(raw_id)) throw missing;
    const IntegrationId id(raw_id);
    auto tx = db.Begin({db::Access::kReadOnly, db::Visibility::kSystem});
    const auto tenant = IntegrationRepository::TenantOf(tx, id);
    if (!tenant) throw missing;
    const db::TenantScope scope(tx, *tenant);
    auto integration = service.repository().Find(scope, id);
    if (!integration || integration->status == "inactive") throw missing;
    return {*tenant, std::move(*integration)};
}

http::Handler Receive(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        auto& db = ctx.database();
        const HookTarget target = FindTarget(db, service, ctx.Param("integration_id"));
        const auto connection = service.Connect(target.integration);  // no call: the configuration and secrets
        std::vector<ReceivedEvent> events;
        try {
            events = VerifyInbound(connection->config(), ctx.request(), PublicUrl(connection->config(), ctx.request()),
                                   std::chrono::system_clock::now());
        } catch (const Error& e) {
            log::Warn("inbound webhook refused", {{"integration_id", target.integration.id.str()},
                                                  {"provider", target.integration.type},
                                                  {"reason", e.detail()}});
            throw;
        }
        auto tx = db.Begin({db::Access::kReadWrite, db::Visibility::kSystem});
        const db::TenantScope scope(tx, target.tenant);
        int stored = 0;
        int duplicates = 0;
        for (auto& received : events) {
            const InboundEvent event{.id = InboundEventId(NewUuidV7()),
                                     .integration_id = target.integration.id.str(),
                                     .provider = target.integration.type,
                                     .provider_event_id = received.provider_event_id.substr(0, 500),
                                     .event_type = received.event_type.substr(0, 200),
                                     .payload = std::move(received.payload),
                                     .received_at = Now()};
            if (!InboundEventRepository::InsertIfNew(scope, event)) {
                ++duplicates;
                continue;
            }
            ++stored;
            jobs::JobQueue::Enqueue(scope, std::string(kJobKind), {{"inbound_event_id", event.id.str()}},
                                    {.dedupe_key = "inbound:" + event.id.str()});
        }
        tx.Commit();
        return http::Response::Json(200, nlohmann::json{{"received", stored}, {"duplicates", duplicates}});
    };
}

void Apply(const jobs::JobContext& job, const IntegrationService& service) {
    auto tx = job.db.Begin({db::Access::kReadWrite});
    const db::TenantScope scope(tx, job.tenant);
    const auto event = InboundEventRepository::Find(scope, InboundEventId(job.payload.at("inbound_event_id")));
    if (!event || event->state != "received") return;  // done before: at-least-once delivery of this job
    const auto integration = service.repository().Find(scope, IntegrationId(event->integration_id));
    const InboundOutcome outcome = integration ? ApplyInboundEvent(scope, *integration, *event)
                                               : InboundOutcome{"ignored", {{"reason", "the integration was deleted"}}};
    InboundEventRepository::Finish(scope, event->id, outcome.state, outcome.result);
    tx.Commit();
}

}  // namespace

void RegisterInboundRoutes(http::RouteTable& routes, const IntegrationService& service) {
    routes.Add({.method = http::Method::kPost,
                .path = "/hooks/{integration_id}",
                .operation_id = "receiveProviderWebhook",
                .summary = "A provider's webhook to one integration, verified with the provider's signature scheme",
                .tag = "integrations",
                .access = http::Access::kPublic,
                .own_transactions = true,
                .raw_body = true,
                .entity_type = "integration",
                .handler = Receive(service)});
}

void RegisterInboundJobs(jobs::JobHandlerRegistry& registry, const IntegrationService& service) {
    registry.Register(std::string(kJobKind), [&service](const jobs::JobContext& job) { Apply(job, service); });
}

}  // namespace kiln::integrations
