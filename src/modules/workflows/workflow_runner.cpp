#include "modules/workflows/workflow_runner.hpp"

#include <algorithm>
#include <chrono>

#include "core/log.hpp"
#include "core/uuid.hpp"
#include "jobs/job_queue.hpp"
#include "modules/workflows/templates.hpp"
#include "modules/workflows/workflow_secrets.hpp"
#include "observability/metrics.hpp"

namespace kiln::workflows {

namespace {

/// What action parameters may quote (templates.hpp).
nlohmann::json TemplateContext(const WorkflowRule& rule, const events::StoredEvent& event) {
    return {{"event", event.ToJson()}, {"data", event.data}, {"rule", {{"id", rule.id.str()}, {"name", rule.name}}}};
}

std::string IdempotencyKey(const WorkflowRule& rule, const events::StoredEvent& event, size_t index) {
    return "workflow:" + rule.id.str() + ":" + event.id + ":" + std::to_string(index);
}

/// The action's params with the event quoted in; URL params get percent-encoded values.
nlohmann::json RenderParams(const ActionType* type, const nlohmann::json& params, const nlohmann::json& context) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, value] : params.items()) {
        const bool url = type != nullptr &&
                         std::find(type->url_params.begin(), type->url_params.end(), name) != type->url_params.end();
        out[name] = RenderStrings(value, context, url);
    }
    return out;
}

int64_t MicrosSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void WorkflowRunner::FanOut(const db::TenantScope& scope, const events::StoredEvent& event) const {
    for (const auto& rule : rules_.EnabledFor(scope, event.type)) {
        if (!AllHold(rule.conditions, event.data)) continue;
        jobs::JobQueue::Enqueue(
            scope, std::string(kJobKind), {{"rule_id", rule.id.str()}, {"event_id", event.id}},
            {.max_attempts = kMaxAttempts, .dedupe_key = "workflow:" + rule.id.str() + ":" + event.id});
    }
}

WorkflowLog WorkflowRunner::Run(db::Database& db, const TenantId& tenant, const WorkflowRule& rule,
                                const events::StoredEvent& event) const {
    const auto started = std::chrono::steady_clock::now();
    WorkflowLog log{.id = NewUuidV7(),
                    .rule_id = rule.id,
                    .event_id = event.id,
                    .event_type = event.type,
                    .status = "succeeded",
                    .run_at = Now()};
    const nlohmann::json context = TemplateContext(rule, event);
    for (size_t i = 0; i < rule.actions.size(); ++i) {
        const auto& action = rule.actions[i];
        nlohmann::json step = {{"index", i}, {"type", action.type}};
        if (log.status != "succeeded") {
            step["status"] = "not_run";  // an earlier action failed
            log.results.push_back(std::move(step));
            continue;
        }
        const auto action_started = std::chrono::steady_clock::now();
        const ActionType* type = actions_.Find(action.type);
        const nlohmann::json params = RenderParams(type, action.params, context);
        // Scrubbed from the result and the error: a target may echo what it was sent.
        const auto secrets = SecretValues(params, action.secret_params);
        try {
            if (type == nullptr) throw std::runtime_error("action type " + action.type + " is not available");
            step["result"] =
                ScrubSecrets(type->run({tenant, db, rule, event, i, params, IdempotencyKey(rule, event, i)}), secrets);
            step["status"] = "succeeded";
        } catch (const std::exception& e) {
            step["status"] = "failed";
            step["error"] = jobs::TruncateUtf8(ScrubSecrets(std::string(e.what()), secrets).get<std::string>(), 1024);
            log.status = "failed";
            log.error = "action " + std::to_string(i) + " (" + action.type + "): " + step["error"].get<std::string>();
        }
        step["duration_ms"] = static_cast<double>(MicrosSince(action_started)) / 1000.0;
        log.results.push_back(std::move(step));
    }
    log.duration_us = MicrosSince(started);
    return log;
}

void WorkflowRunner::RunJob(const jobs::JobContext& job) const {
    const WorkflowRuleId rule_id(job.payload.at("rule_id").get<std::string>());
    const std::string event_id = job.payload.at("event_id");
    std::optional<WorkflowRule> rule;
    std::optional<events::StoredEvent> event;
    {
        auto tx = job.db.Begin({db::Access::kReadOnly, db::Visibility::kTenant});
        const db::TenantScope scope(tx, job.tenant);
        rule = rules_.Find(scope, rule_id);
        event = events::EventOutbox::Find(scope, event_id);
    }
    if (!rule || !event) return;  // the rule was deleted since the event: nothing to run, nothing to log

    WorkflowLog log;
    // The rule may have changed between the event and this run: it runs as it is now.
    if (!rule->is_enabled || !AllHold(rule->conditions, event->data)) {
        log = {.id = NewUuidV7(),
               .rule_id = rule->id,
               .event_id = event->id,
               .event_type = event->type,
               .status = "skipped",
               .error = rule->is_enabled ? "conditions no longer hold" : "rule disabled",
               .run_at = Now()};
    } else {
        log = Run(job.db, job.tenant, *rule, *event);
    }
    log.job_id = job.job_id;
    log.attempt = job.attempt;
    observability::Metrics::Instance().WorkflowRun(log.status);
    auto tx = job.db.Begin({db::Access::kReadWrite, db::Visibility::kTenant});
    WorkflowLogRepository::Insert(db::TenantScope(tx, job.tenant), log);
    tx.Commit();
    if (log.status == "failed") throw std::runtime_error(*log.error);
}

void WorkflowRunner::RegisterJobs(jobs::JobHandlerRegistry& registry) const {
    registry.Register(std::string(kJobKind), [this](const jobs::JobContext& job) { RunJob(job); });
}

nlohmann::json WorkflowRunner::DryRun(const ActionRegistry& registry, const WorkflowRule& rule,
                                      const events::StoredEvent& event) {
    nlohmann::json conditions = nlohmann::json::array();
    bool matched = true;
    for (const auto& condition : rule.conditions) {
        const auto result = Evaluate(condition, event.data);
        matched = matched && result.passed;
        auto shown = condition.ToJson();
        shown["passed"] = result.passed;
        shown["field_missing"] = result.field_missing;
        shown["actual"] = result.actual;
        conditions.push_back(std::move(shown));
    }
    const nlohmann::json context = TemplateContext(rule, event);
    nlohmann::json actions = nlohmann::json::array();
    for (size_t i = 0; i < rule.actions.size(); ++i) {
        const auto& action = rule.actions[i];
        const auto rendered = RenderParams(registry.Find(action.type), action.params, context);
        actions.push_back(
            {{"index", i}, {"type", action.type}, {"params", MaskSecrets(rendered, action.secret_params)}});
    }
    return {{"matched", matched},
            {"enabled", rule.is_enabled},
            {"conditions", conditions},
            {"actions", matched ? actions : nlohmann::json::array()},
            {"event", event.ToJson()}};
}

}  // namespace kiln::workflows
