#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prometheus {
class Counter;
template <typename T>
class Family;
class Histogram;
class Registry;
}  // namespace prometheus

namespace kiln::observability {

/// What a statement does, from its first keyword; the `operation` label of the DB metrics.
enum class DbOperation { kSelect, kInsert, kUpdate, kDelete, kOther };
DbOperation ClassifySql(std::string_view sql);
const char* DbOperationName(DbOperation operation);

/// The request metrics of one route, resolved once when the dispatcher starts. Observe() is
/// lock-free after the first request with a given status: each status' series pointers sit in an
/// atomic slot, and only the first use of a status takes the family's lock (prometheus-cpp's
/// Family::Add) to create them.
class RouteMetrics final {
  public:
    RouteMetrics(prometheus::Family<prometheus::Counter>& requests,
                 prometheus::Family<prometheus::Histogram>& durations, std::string method, std::string route)
        : requests_(requests), durations_(durations), method_(std::move(method)), route_(std::move(route)) {}
    void Observe(int status, double seconds);

  private:
    struct Series {
        prometheus::Counter* requests;
        prometheus::Histogram* duration;
    };
    static constexpr int kFirstStatus = 100;
    static constexpr int kStatuses = 500;  // 100..599; anything else counts as 599

    prometheus::Family<prometheus::Counter>& requests_;
    prometheus::Family<prometheus::Histogram>& durations_;
    std::string method_;
    std::string route_;
    std::array<std::atomic<Series*>, kStatuses> slots_{};
    std::mutex create_mutex_;
    std::vector<std::unique_ptr<Series>> owned_;
};

/// Kiln's metrics, served at /api/v1/metrics in the Prometheus text format (prometheus-cpp).
///
/// Every family is declared once, in metrics.cpp, and every label takes values from a bounded set
/// that code chooses (route templates, problem types, job kinds, outcomes) — never a tenant id,
/// a raw path or an id. Series that dashboards show are created up front with zero values, so a
/// fresh process answers every panel instead of "no data".
///
/// The module API for later modules (webhooks, integrations) is a method here; e.g. the webhook
/// delivery worker calls, after each attempt,
///
///     observability::Metrics::Instance().WebhookDelivery("succeeded", seconds);
///
/// with outcome one of succeeded, failed (will retry), dead (gave up), blocked (SSRF guard), and
/// passes `purpose = "webhook"` on its OutboundRequest so the call also counts under
/// kiln_outbound_requests_total{purpose="webhook"}. A provider adapter uses its provider name
/// ("stripe", "sendgrid", …) as the purpose and ModuleError("integrations") for failures it
/// swallows.
class Metrics final {
  public:
    static Metrics& Instance();

    /// KILN_METRICS=0: every hook returns at once (the benchmark's "all off" run).
    void SetEnabled(bool enabled) { enabled_.store(enabled, std::memory_order_relaxed); }
    bool enabled() const { return enabled_.load(std::memory_order_relaxed); }

    /// For the dispatcher, at start: one handle per route (or "unmatched"); lives as long as the process.
    RouteMetrics& ForRoute(std::string_view method, std::string_view route_template);
    /// A module's error counter starts at zero when the module registers (route tags, job kinds).
    void DeclareModule(std::string_view module);
    /// A job kind's series start at zero when its handler is registered.
    void DeclareJobKind(const std::string& kind);

    void HttpError(std::string_view problem_type);
    void DbQuery(bool postgres, DbOperation operation, double seconds);
    /// outcome: succeeded, failed (will retry), dead.
    void JobFinished(const std::string& kind, std::string_view outcome, double seconds);
    /// purpose: webhook, workflow, a provider name, or other; outcome: success, client_error,
    /// server_error, or an egress error kind (timeout, blocked_address, …).
    void OutboundCall(std::string_view purpose, std::string_view outcome, double seconds);
    /// See the class comment.
    void WebhookDelivery(std::string_view outcome, double seconds);
    /// Business counters come from published domain events (invoice.issued, payment.succeeded, …).
    void DomainEvent(std::string_view event_type);
    /// status: succeeded, failed, skipped.
    void WorkflowRun(std::string_view status);
    void ModuleError(std::string_view module);
    /// outcome: exported, failed, dropped.
    void TraceSpans(std::string_view outcome, double count);

    /// Called on every scrape to refresh kiln_job_queue_length: (kind, jobs waiting) pairs.
    void SetQueueLengthSource(std::function<std::vector<std::pair<std::string, double>>()> source);

    /// Refreshes the gauges (process figures, queue length) and renders the text format.
    std::string Render();

  private:
    Metrics();
    struct Families;

    std::atomic<bool> enabled_{true};
    std::shared_ptr<prometheus::Registry> registry_;
    std::unique_ptr<Families> families_;
    std::mutex routes_mutex_;
    std::vector<std::unique_ptr<RouteMetrics>> routes_;
    std::mutex queue_mutex_;
    std::function<std::vector<std::pair<std::string, double>>()> queue_source_;
};

}  // namespace kiln::observability
