#include "observability/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "observability/process_metrics.hpp"

namespace kiln::observability {

namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

// A fast API: most requests take a few milliseconds, so the buckets start at half of one.
const Histogram::BucketBoundaries kHttpBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                  0.1,    0.25,  0.5,    1,     2.5,  5,     10};
const Histogram::BucketBoundaries kDbBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                0.05,   0.1,     0.25,   0.5,   1,      2.5,   5};
const Histogram::BucketBoundaries kJobBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
const Histogram::BucketBoundaries kOutboundBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

constexpr std::array<const char*, 13> kProblemTypes = {
    "bad-request",        "validation-error", "unauthorized",      "forbidden",     "not-found",
    "method-not-allowed", "conflict",         "payload-too-large", "unprocessable", "too-many-requests",
    "unavailable",        "upstream-error",   "internal-error"};
constexpr std::array<const char*, 4> kJobOutcomes = {"succeeded", "failed", "dead", "unknown_kind"};
constexpr std::array<const char*, 3> kOutboundPurposes = {"webhook", "workflow", "other"};
constexpr std::array<const char*, 3> kOutboundOutcomes = {"success", "client_error", "server_error"};
constexpr std::array<const char*, 4> kWebhookOutcomes = {"succeeded", "failed", "dead", "blocked"};
constexpr std::array<const char*, 3> kWorkflowStatuses = {"succeeded", "failed", "skipped"};
constexpr std::array<const char*, 3> kSpanOutcomes = {"exported", "failed", "dropped"};

}  // namespace

DbOperation ClassifySql(std::string_view sql) {
    size_t i = 0;
    while (i < sql.size() && (std::isspace(static_cast<unsigned char>(sql[i])) != 0 || sql[i] == '(')) ++i;
    size_t end = i;
    while (end < sql.size() && std::isalpha(static_cast<unsigned char>(sql[end])) != 0) ++end;
    std::string word(sql.substr(i, end - i));
    for (auto& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (word == "SELECT" || word == "WITH") return DbOperation::kSelect;
    if (word == "INSERT") return DbOperation::kInsert;
    if (word == "UPDATE") return DbOperation::kUpdate;
    if (word == "DELETE") return DbOperation::kDelete;
    return DbOperation::kOther;
}

const char* DbOperationName(DbOperation operation) {
    switch (operation) {
        case DbOperation::kSelect:
            return "SELECT";
        case DbOperation::kInsert:
            return "INSERT";
        case DbOperation::kUpdate:
            return "UPDATE";
        case DbOperation::kDelete:
            return "DELETE";
        case DbOperation::kOther:
            return "other";
    }
    return "other";
}

void RouteMetrics::Observe(int status, double seconds) {
    const int index = std::clamp(status, kFirstStatus, kFirstStatus + kStatuses - 1) - kFirstStatus;
    Series* series = slots_[static_cast<size_t>(index)].load(std::memory_order_acquire);
    if (series == nullptr) {
        const std::lock_guard lock(create_mutex_);
        series = slots_[static_cast<size_t>(index)].load(std::memory_order_acquire);
        if (series == nullptr) {
            const prometheus::Labels labels = {
                {"method", method_}, {"route", route_}, {"status_code", std::to_string(index + kFirstStatus)}};
            owned_.push_back(
                std::make_unique<Series>(Series{&requests_.Add(labels), &durations_.Add(labels, kHttpBuckets)}));
            series = owned_.back().get();
            slots_[static_cast<size_t>(index)].store(series, std::memory_order_release);
        }
    }
    series->requests->Increment();
    series->duration->Observe(seconds);
}

struct Metrics::Families {
    explicit Families(prometheus::Registry& r)
        : http_requests(prometheus::BuildCounter()
                            .Name("kiln_http_requests_total")
                            .Help("HTTP requests by method, route template and status code")
                            .Register(r)),
          http_duration(
              prometheus::BuildHistogram()
                  .Name("kiln_http_request_duration_seconds")
                  .Help("HTTP request duration from routing to response, by method, route template and status")
                  .Register(r)),
          http_errors(prometheus::BuildCounter()
                          .Name("kiln_http_errors_total")
                          .Help("HTTP error responses by problem type")
                          .Register(r)),
          db_queries(prometheus::BuildCounter()
                         .Name("kiln_db_queries_total")
                         .Help("Database statements by database system and operation")
                         .Register(r)),
          db_duration(prometheus::BuildHistogram()
                          .Name("kiln_db_query_duration_seconds")
                          .Help("Database statement duration by database system and operation")
                          .Register(r)),
          queue_length(prometheus::BuildGauge()
                           .Name("kiln_job_queue_length")
                           .Help("Jobs waiting to run (queued or waiting for a retry) by kind")
                           .Register(r)),
          jobs_processed(prometheus::BuildCounter()
                             .Name("kiln_jobs_processed_total")
                             .Help("Job attempts finished by kind and outcome")
                             .Register(r)),
          job_duration(prometheus::BuildHistogram()
                           .Name("kiln_job_duration_seconds")
                           .Help("Job attempt duration by kind")
                           .Register(r)),
          outbound_requests(prometheus::BuildCounter()
                                .Name("kiln_outbound_requests_total")
                                .Help("Outbound HTTP calls by purpose (webhook, workflow, provider) and outcome")
                                .Register(r)),
          outbound_duration(prometheus::BuildHistogram()
                                .Name("kiln_outbound_request_duration_seconds")
                                .Help("Outbound HTTP call duration by purpose")
                                .Register(r)),
          webhook_deliveries(prometheus::BuildCounter()
                                 .Name("kiln_webhook_deliveries_total")
                                 .Help("Webhook delivery attempts by outcome")
                                 .Register(r)),
          webhook_duration(prometheus::BuildHistogram()
                               .Name("kiln_webhook_delivery_duration_seconds")
                               .Help("Webhook delivery attempt latency")
                               .Register(r)),
          events(prometheus::BuildCounter()
                     .Name("kiln_domain_events_total")
                     .Help("Domain events published by type")
                     .Register(r)),
          invoices_issued(prometheus::BuildCounter()
                              .Name("kiln_invoices_issued_total")
                              .Help("Invoices issued")
                              .Register(r)
                              .Add({})),
          payments_succeeded(prometheus::BuildCounter()
                                 .Name("kiln_payments_succeeded_total")
                                 .Help("Payments that succeeded")
                                 .Register(r)
                                 .Add({})),
          workflow_runs(
              prometheus::BuildCounter().Name("kiln_workflow_runs_total").Help("Workflow runs by status").Register(r)),
          module_errors(prometheus::BuildCounter()
                            .Name("kiln_module_errors_total")
                            .Help("Server-side failures (5xx responses, failed jobs) by module")
                            .Register(r)),
          trace_spans(prometheus::BuildCounter()
                          .Name("kiln_trace_spans_total")
                          .Help("Finished trace spans by export outcome (exported, failed, dropped)")
                          .Register(r)),
          build_info(
              prometheus::BuildGauge().Name("kiln_build_info").Help("Always 1; the version is the label").Register(r)) {
    }

    Family<Counter>& http_requests;
    Family<Histogram>& http_duration;
    Family<Counter>& http_errors;
    Family<Counter>& db_queries;
    Family<Histogram>& db_duration;
    Family<Gauge>& queue_length;
    Family<Counter>& jobs_processed;
    Family<Histogram>& job_duration;
    Family<Counter>& outbound_requests;
    Family<Histogram>& outbound_duration;
    Family<Counter>& webhook_deliveries;
    Family<Histogram>& webhook_duration;
    Family<Counter>& events;
    Counter& invoices_issued;
    Counter& payments_succeeded;
    Family<Counter>& workflow_runs;
    Family<Counter>& module_errors;
    Family<Counter>& trace_spans;
    Family<Gauge>& build_info;

    // Resolved once: the DB hook runs for every statement.
    std::array<std::array<Counter*, 5>, 2> db_count{};
    std::array<std::array<Histogram*, 5>, 2> db_time{};
    std::array<Counter*, kProblemTypes.size()> errors{};
};

Metrics& Metrics::Instance() {
    static Metrics metrics;
    return metrics;
}

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()), families_(std::make_unique<Families>(*registry_)) {
    auto& f = *families_;
    f.build_info.Add({{"version", KILN_VERSION}}).Set(1);
    for (size_t system = 0; system < 2; ++system) {
        for (size_t op = 0; op < 5; ++op) {
            const prometheus::Labels labels = {{"db_system", system == 1 ? "postgresql" : "sqlite"},
                                               {"operation", DbOperationName(static_cast<DbOperation>(op))}};
            f.db_count[system][op] = &f.db_queries.Add(labels);
            f.db_time[system][op] = &f.db_duration.Add(labels, kDbBuckets);
        }
    }
    for (size_t i = 0; i < kProblemTypes.size(); ++i) f.errors[i] = &f.http_errors.Add({{"type", kProblemTypes[i]}});
    for (const char* purpose : kOutboundPurposes) {
        for (const char* outcome : kOutboundOutcomes)
            f.outbound_requests.Add({{"purpose", purpose}, {"outcome", outcome}});
        f.outbound_duration.Add({{"purpose", purpose}}, kOutboundBuckets);
    }
    for (const char* outcome : kWebhookOutcomes) f.webhook_deliveries.Add({{"outcome", outcome}});
    f.webhook_duration.Add({}, kOutboundBuckets);
    for (const char* status : kWorkflowStatuses) f.workflow_runs.Add({{"status", status}});
    for (const char* outcome : kSpanOutcomes) f.trace_spans.Add({{"outcome", outcome}});
    for (const char* type : {"invoice.issued", "payment.succeeded"}) f.events.Add({{"type", type}});
    RegisterProcessMetrics(*registry_);
}

RouteMetrics& Metrics::ForRoute(std::string_view method, std::string_view route_template) {
    const std::lock_guard lock(routes_mutex_);
    routes_.push_back(std::make_unique<RouteMetrics>(families_->http_requests, families_->http_duration,
                                                     std::string(method), std::string(route_template)));
    return *routes_.back();
}

void Metrics::DeclareModule(std::string_view module) {
    families_->module_errors.Add({{"module", std::string(module)}});
}

void Metrics::DeclareJobKind(const std::string& kind) {
    auto& f = *families_;
    for (const char* outcome : kJobOutcomes) f.jobs_processed.Add({{"kind", kind}, {"outcome", outcome}});
    f.job_duration.Add({{"kind", kind}}, kJobBuckets);
    f.queue_length.Add({{"kind", kind}});
}

void Metrics::HttpError(std::string_view problem_type) {
    if (!enabled()) return;
    for (size_t i = 0; i < kProblemTypes.size(); ++i) {
        if (problem_type == kProblemTypes[i]) {
            families_->errors[i]->Increment();
            return;
        }
    }
}

void Metrics::DbQuery(bool postgres, DbOperation operation, double seconds) {
    if (!enabled()) return;
    const auto system = static_cast<size_t>(postgres ? 1 : 0);
    const auto op = static_cast<size_t>(operation);
    families_->db_count[system][op]->Increment();
    families_->db_time[system][op]->Observe(seconds);
}

void Metrics::JobFinished(const std::string& kind, std::string_view outcome, double seconds) {
    if (!enabled()) return;
    families_->jobs_processed.Add({{"kind", kind}, {"outcome", std::string(outcome)}}).Increment();
    families_->job_duration.Add({{"kind", kind}}, kJobBuckets).Observe(seconds);
}

void Metrics::OutboundCall(std::string_view purpose, std::string_view outcome, double seconds) {
    if (!enabled()) return;
    const std::string label(purpose.empty() ? "other" : purpose);
    families_->outbound_requests.Add({{"purpose", label}, {"outcome", std::string(outcome)}}).Increment();
    families_->outbound_duration.Add({{"purpose", label}}, kOutboundBuckets).Observe(seconds);
}

void Metrics::WebhookDelivery(std::string_view outcome, double seconds) {
    if (!enabled()) return;
    families_->webhook_deliveries.Add({{"outcome", std::string(outcome)}}).Increment();
    families_->webhook_duration.Add({}, kOutboundBuckets).Observe(seconds);
}

void Metrics::DomainEvent(std::string_view event_type) {
    if (!enabled()) return;
    families_->events.Add({{"type", std::string(event_type)}}).Increment();
    if (event_type == "invoice.issued") families_->invoices_issued.Increment();
    if (event_type == "payment.succeeded") families_->payments_succeeded.Increment();
}

void Metrics::WorkflowRun(std::string_view status) {
    if (!enabled()) return;
    families_->workflow_runs.Add({{"status", std::string(status)}}).Increment();
}

void Metrics::ModuleError(std::string_view module) {
    if (!enabled()) return;
    families_->module_errors.Add({{"module", std::string(module)}}).Increment();
}

void Metrics::TraceSpans(std::string_view outcome, double count) {
    if (!enabled()) return;
    families_->trace_spans.Add({{"outcome", std::string(outcome)}}).Increment(count);
}

void Metrics::SetQueueLengthSource(std::function<std::vector<std::pair<std::string, double>>()> source) {
    const std::lock_guard lock(queue_mutex_);
    queue_source_ = std::move(source);
}

std::string Metrics::Render() {
    {
        const std::lock_guard lock(queue_mutex_);
        if (queue_source_) {
            // Kinds that emptied since the last scrape must read 0, not keep their old value.
            std::map<std::string, double> lengths;
            for (auto& [kind, count] : queue_source_()) lengths[kind] = count;
            for (const auto& [kind, count] : lengths) families_->queue_length.Add({{"kind", kind}}).Set(count);
            for (const auto& metric : families_->queue_length.Collect()) {
                for (const auto& sample : metric.metric) {
                    for (const auto& label : sample.label) {
                        if (label.name == "kind" && !lengths.contains(label.value))
                            families_->queue_length.Add({{"kind", label.value}}).Set(0);
                    }
                }
            }
        }
    }
    RefreshProcessMetrics();
    return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace kiln::observability
