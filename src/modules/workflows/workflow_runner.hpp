#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "db/database.hpp"
#include "jobs/job_handler.hpp"
#include "modules/events/event_outbox.hpp"
#include "modules/workflows/action_registry.hpp"
#include "modules/workflows/workflow_log_repository.hpp"
#include "modules/workflows/workflow_repository.hpp"

namespace kiln::workflows {

/// Runs rules for events: the dispatcher's fan-out enqueues one `workflow.run` job per enabled
/// rule whose conditions hold (deduplicated per rule and event, so dispatching twice runs once),
/// and the job runs the rule's actions in order, stopping at the first failure, and logs the run.
/// A failed run is retried by the queue with backoff; every attempt writes a log row.
class WorkflowRunner final {
  public:
    static constexpr std::string_view kJobKind = "workflow.run";
    static constexpr int kMaxAttempts = 5;

    /// Both must outlive the runner.
    WorkflowRunner(const ActionRegistry& actions, const WorkflowRepository& rules) : actions_(actions), rules_(rules) {}

    /// An EventDispatcher consumer.
    void FanOut(const db::TenantScope& scope, const events::StoredEvent& event) const;
    /// Registers `workflow.run`; `this` must outlive the workers.
    void RegisterJobs(jobs::JobHandlerRegistry& registry) const;

    /// Runs the actions (outside any transaction) and describes the run; the caller stores it.
    /// The action's secrets are scrubbed from what the run describes.
    WorkflowLog Run(db::Database& db, const TenantId& tenant, const WorkflowRule& rule,
                    const events::StoredEvent& event) const;

    /// What a run would do, without doing it: each condition with the event's value, and each
    /// action with its parameters as they would be sent, secrets masked.
    static nlohmann::json DryRun(const ActionRegistry& registry, const WorkflowRule& rule,
                                 const events::StoredEvent& event);

  private:
    void RunJob(const jobs::JobContext& job) const;

    const ActionRegistry& actions_;
    const WorkflowRepository& rules_;
};

}  // namespace kiln::workflows
