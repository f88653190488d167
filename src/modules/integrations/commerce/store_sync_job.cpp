#include <functional>

#include "core/log.hpp"
#include "modules/integrations/commerce/commerce_upserts.hpp"
#include "modules/integrations/commerce/store_sync.hpp"
#include "modules/integrations/commerce/sync_repository.hpp"

namespace kiln::integrations {

namespace {

// PostgreSQL runs transactions at READ COMMITTED: the row lock keeps a products sync and an orders sync that
// finish together from each writing back a sync_state without the other's position. SQLite has one writer.
constexpr std::string_view kLockIntegration = "SELECT id FROM integrations WHERE tenant_id = $1 AND id = $2 FOR UPDATE";

/// The later (or earlier) of two store timestamps; an empty or unreadable one is ignored.
std::string Pick(const std::string& a, const std::string& b, bool later) {
    const auto ta = ParseTimestamp(a);
    const auto tb = ParseTimestamp(b);
    if (!ta) return tb ? b : std::string();
    if (!tb) return a;
    return (later ? *tb > *ta : *tb < *ta) ? b : a;
}

std::optional<std::string> Present(std::string text) {
    if (text.empty()) return std::nullopt;
    return text;
}

/// One attempt of one sync job.
class SyncRun final {
  public:
    SyncRun(const IntegrationService& service, const jobs::JobContext& job)
        : service_(service), job_(job), sync_id_(job.payload.at("sync_id").get<std::string>()) {}

    void Run() {
        if (!Start()) return;
        try {
            const auto connection = service_.Connect(*integration_);
            CommerceSource& store = connection->commerce();
            const std::string since = sync_->since.value_or("");
            if (sync_->kind == "products") {
                Pages<CommerceProduct>([&](const auto& cursor) { return store.Products(cursor, since); },
                                       ApplyProducts);
            } else {
                Pages<CommerceOrder>([&](const auto& cursor) { return store.Orders(cursor, since); }, ApplyOrders);
            }
        } catch (const ProviderError& e) {
            // The store was down or busy: the queue retries with backoff, and the next attempt resumes at the
            // saved cursor. A refusal (bad credentials, a bad request) will not get better by waiting.
            if (e.retryable() && job_.attempt < kStoreSyncMaxAttempts) throw;
            Fail(e.detail());
        } catch (const Error& e) {
            // Kiln's refusals before a page is applied (an integration that cannot sync, a position the adapter does
            // not accept) stay refusals. While applying, one (a sku taken by a concurrent writer) is a race that
            // the next attempt, reading again, gets past.
            const bool refused = e.code() == ErrorCode::kValidation && !applying_;
            if (!refused && job_.attempt < kStoreSyncMaxAttempts) throw;
            Fail(e.detail() + FieldDetails(e));
        } catch (const std::exception&) {
            if (job_.attempt < kStoreSyncMaxAttempts) throw;
            Fail("the sync stopped after " + std::to_string(job_.attempt) + " failed attempts");
        }
    }

  private:
    template <typename Item>
    using Fetch = std::function<CommercePage<Item>(const std::optional<std::string>&)>;
    template <typename Item>
    using Apply = void (*)(const db::TenantScope&, const Integration&, const std::vector<Item>&, SyncCounts&);

    static std::string FieldDetails(const Error& e) {
        std::string text;
        for (const auto& field : e.field_errors()) text += " " + field.field + " " + field.message + ".";
        return text;
    }

    /// Marks the sync running; false when there is nothing (left) to do.
    bool Start() {
        auto tx = job_.db.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
        const db::TenantScope scope(tx, job_.tenant);
        sync_ = SyncRepository::Find(scope, sync_id_);
        // Deleted with its integration, or finished by an earlier attempt that died before its job was marked done.
        if (!sync_ || sync_->finished()) return false;
        integration_ = service_.repository().Find(scope, sync_->integration_id);
        if (!integration_) return false;
        sync_->state = "running";
        if (!sync_->started_at) sync_->started_at = Now();
        SyncRepository::Update(scope, *sync_);
        tx.Commit();
        return true;
    }

    /// Fetches and applies pages from the saved cursor on until the store says there are no more.
    template <typename Item>
    void Pages(const Fetch<Item>& fetch, Apply<Item> apply) {
        for (bool more = true; more;) {
            // The provider call happens outside any transaction: no write lock is held while the store answers.
            const CommercePage<Item> page = fetch(sync_->cursor);
            auto tx = job_.db.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
            const db::TenantScope scope(tx, job_.tenant);
            auto current = SyncRepository::Find(scope, sync_id_);
            if (!current || current->finished()) return;
            SyncCounts counts;
            applying_ = true;
            apply(scope, *integration_, page.items, counts);
            applying_ = false;
            ++current->pages;
            current->items += counts.items;
            current->created += counts.created;
            current->updated += counts.updated;
            for (const auto& error : counts.errors) current->AddError(error.item, error.message);
            current->newest_updated_at =
                Present(Pick(current->newest_updated_at.value_or(""), counts.newest_updated_at, true));
            current->oldest_failed_updated_at =
                Present(Pick(current->oldest_failed_updated_at.value_or(""), counts.oldest_failed_updated_at, false));
            current->cursor = page.next_cursor;
            more = page.next_cursor.has_value();
            if (!more) Succeed(scope, *current);
            SyncRepository::Update(scope, *current);
            tx.Commit();
            sync_ = std::move(current);
        }
    }

    /// Finishes the sync and moves the integration's position for the kind to the newest item seen, or back to
    /// the oldest that failed, so the next incremental sync asks for what changed since and for the failures again
    /// (the store's filter is inclusive, and applying an item twice changes nothing).
    void Succeed(const db::TenantScope& scope, IntegrationSync& sync) const {
        sync.state = "succeeded";
        sync.finished_at = Now();
        const std::string position =
            Pick(sync.newest_updated_at.value_or(""), sync.oldest_failed_updated_at.value_or(""), false);
        if (position.empty()) return;  // nothing new: the position stays
        if (scope.tx().dialect() == db::Dialect::kPostgres)
            scope.Exec(kLockIntegration, {scope.tenant(), sync.integration_id});
        const auto integration = service_.repository().Find(scope, sync.integration_id);
        if (!integration) return;
        nlohmann::json state = integration->sync_state.is_object() ? integration->sync_state : nlohmann::json::object();
        state[sync.kind] = position;
        service_.repository().SaveSyncState(scope, sync.integration_id, state);
    }

    void Fail(const std::string& reason) {
        auto tx = job_.db.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
        const db::TenantScope scope(tx, job_.tenant);
        auto current = SyncRepository::Find(scope, sync_id_);
        if (!current || current->finished()) return;
        current->state = "failed";
        current->error = reason;
        current->finished_at = Now();
        SyncRepository::Update(scope, *current);
        tx.Commit();
        log::Warn("store sync failed", {{"sync_id", sync_id_.str()},
                                        {"integration_id", current->integration_id.str()},
                                        {"kind", current->kind},
                                        {"reason", reason}});
    }

    const IntegrationService& service_;
    const jobs::JobContext& job_;
    const SyncId sync_id_;
    std::optional<IntegrationSync> sync_;
    std::optional<Integration> integration_;
    bool applying_ = false;  // inside a page's transaction
};

}  // namespace

void RegisterStoreSyncJobs(jobs::JobHandlerRegistry& registry, const IntegrationService& service) {
    registry.Register(kStoreSyncJob, [&service](const jobs::JobContext& job) { SyncRun(service, job).Run(); });
}

}  // namespace kiln::integrations
