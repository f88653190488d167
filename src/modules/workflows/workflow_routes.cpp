#include "modules/workflows/workflow_routes.hpp"

#include "core/uuid.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "http/route_group.hpp"
#include "modules/common/changes.hpp"
#include "modules/common/crud_routes.hpp"
#include "modules/events/event_types.hpp"
#include "modules/workflows/workflow_log_repository.hpp"
#include "modules/workflows/workflow_repository.hpp"
#include "modules/workflows/workflow_runner.hpp"
#include "modules/workflows/workflow_secrets.hpp"

namespace kiln::workflows {

namespace {

constexpr size_t kMaxConditions = 20;
constexpr size_t kMaxActions = 10;

/// What the handlers share: the action types and the rules (with the vault inside).
struct Deps {
    const ActionRegistry& registry;
    const WorkflowRepository& rules;
};

WorkflowRule Existing(http::RequestContext& ctx, const WorkflowRepository& rules) {
    auto rule = rules.Find(ctx.scope(), WorkflowRuleId(ctx.IdParam("id")));
    if (!rule) throw ctx.NotFoundError();
    return *rule;
}

/// The parts of a rule that depend on each other, checked together: the conditions' fields must
/// exist in the trigger's events, and the actions' parameters must suit their types.
struct RuleLogic {
    std::string trigger_event;
    std::vector<Condition> conditions;
    std::vector<RuleAction> actions;
};

/// A secret sent back masked keeps the value stored for the same action (same index and type).
void KeepStoredSecrets(std::vector<RuleAction>& actions, const std::vector<RuleAction>* stored,
                       std::vector<FieldError>& errors) {
    for (size_t i = 0; i < actions.size(); ++i) {
        const bool same = stored != nullptr && i < stored->size() && (*stored)[i].type == actions[i].type;
        KeepMaskedSecrets(actions[i].params, actions[i].secret_params, same ? &(*stored)[i].params : nullptr,
                          "actions[" + std::to_string(i) + "].params", errors);
    }
}

RuleLogic CheckLogic(http::RequestContext& ctx, const ActionRegistry& registry, const std::string& trigger_event,
                     const nlohmann::json& conditions, const nlohmann::json& actions,
                     const std::vector<RuleAction>* stored_actions) {
    std::vector<FieldError> errors;
    if (!events::EventTypeRegistry::Instance().Contains(trigger_event))
        errors.push_back({"trigger_event", "is not an event type; GET /events/types lists them"});
    if (actions.empty()) errors.push_back({"actions", "must name at least one action"});
    RuleLogic logic{trigger_event, {}, registry.ParseActions(ctx.scope(), actions, errors)};
    if (errors.empty()) KeepStoredSecrets(logic.actions, stored_actions, errors);
    if (errors.empty() || errors.front().field != "trigger_event")
        logic.conditions = ParseConditions(conditions, trigger_event, errors);
    if (!errors.empty()) throw ValidationError(std::move(errors));
    return logic;
}

nlohmann::json ConditionsJson(const std::vector<Condition>& conditions) {
    return WorkflowRule{.conditions = conditions}.ConditionsJson();
}

http::Response ListWorkflows(http::RequestContext& ctx, const WorkflowRepository& rules) {
    const auto page = http::PageRequest::FromQuery(ctx);
    WorkflowRuleFilter filter{
        .trigger_event = ctx.Query("trigger_event"), .before_id = page.after_id, .limit = page.limit};
    if (const auto enabled = ctx.Query("is_enabled")) {
        if (*enabled != "true" && *enabled != "false") throw ValidationError("is_enabled", "must be true or false");
        filter.is_enabled = *enabled == "true";
    }
    nlohmann::json items = nlohmann::json::array();
    for (const auto& rule : rules.List(ctx.scope(), filter)) items.push_back(rule.ToJson());
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

http::Response GetWorkflow(http::RequestContext& ctx, const WorkflowRepository& rules) {
    return http::Response::Json(200, Existing(ctx, rules).ToJson());
}

http::Handler CreateWorkflow(Deps deps) {
    return [deps](http::RequestContext& ctx) {
        const auto& body = ctx.body();
        auto logic = CheckLogic(ctx, deps.registry, body.at("trigger_event"),
                                body.value("conditions", nlohmann::json::array()), body.at("actions"), nullptr);
        const Timestamp now = Now();
        const WorkflowRule rule{.id = WorkflowRuleId(NewUuidV7()),
                                .name = body.at("name"),
                                .description = body.value("description", ""),
                                .trigger_event = std::move(logic.trigger_event),
                                .conditions = std::move(logic.conditions),
                                .actions = std::move(logic.actions),
                                .is_enabled = body.value("is_enabled", true),
                                .created_at = now,
                                .updated_at = now};
        deps.rules.Insert(ctx.scope(), rule);
        const auto created = rule.ToJson();
        common::RecordChange(ctx, "workflow", "create", rule.id.str(), created, created);
        return http::Response::Json(201, created);
    };
}

http::Handler UpdateWorkflow(Deps deps) {
    return [deps](http::RequestContext& ctx) {
        const auto& body = ctx.body();
        WorkflowRule rule = Existing(ctx, deps.rules);
        common::ChangeSet changes(body);
        changes.Apply("name", rule.name);
        changes.Apply("description", rule.description);
        changes.Apply("is_enabled", rule.is_enabled);
        bool secrets_changed = false;  // masked, a changed secret looks the same as before
        if (body.contains("trigger_event") || body.contains("conditions") || body.contains("actions")) {
            // A new trigger re-checks the kept conditions: their fields may not exist in the new events.
            // Kept actions come back masked and keep their stored secrets like any masked value.
            auto logic = CheckLogic(ctx, deps.registry, body.value("trigger_event", rule.trigger_event),
                                    body.value("conditions", rule.ConditionsJson()),
                                    body.value("actions", rule.ActionsJson()), &rule.actions);
            auto conditions = rule.ConditionsJson();
            auto actions = rule.ActionsJson();
            secrets_changed = logic.actions != rule.actions;
            changes.Set("trigger_event", rule.trigger_event, logic.trigger_event);
            changes.Set("conditions", conditions, ConditionsJson(logic.conditions));
            changes.Set("actions", actions, WorkflowRule{.actions = logic.actions}.ActionsJson());
            rule.conditions = std::move(logic.conditions);
            rule.actions = std::move(logic.actions);
        }
        nlohmann::json recorded = changes.changes();
        if (secrets_changed && !recorded.contains("actions")) recorded["actions"] = {{"secrets", "changed"}};
        if (!recorded.empty()) {
            rule.updated_at = Now();
            deps.rules.Update(ctx.scope(), rule);
        }
        const nlohmann::json shown = rule.ToJson();
        common::RecordChange(ctx, "workflow", "update", rule.id.str(), shown, recorded);
        return http::Response::Json(200, shown);
    };
}

http::Response DeleteWorkflow(http::RequestContext& ctx, const WorkflowRepository& rules) {
    const WorkflowRule rule = Existing(ctx, rules);
    WorkflowRepository::Delete(ctx.scope(), rule.id);
    common::RecordChange(ctx, "workflow", "delete", rule.id.str(), rule.ToJson(), {{"name", rule.name}});
    return http::Response::NoContent();
}

/// enable / disable; doing it twice is not an error and records nothing the second time.
http::Handler SetEnabled(const WorkflowRepository& rules, const std::string& verb, bool enabled) {
    return [&rules, verb, enabled](http::RequestContext& ctx) {
        WorkflowRule rule = Existing(ctx, rules);
        nlohmann::json changes = nlohmann::json::object();
        if (rule.is_enabled != enabled) {
            changes["is_enabled"] = {{"from", rule.is_enabled}, {"to", enabled}};
            rule.is_enabled = enabled;
            rule.updated_at = Now();
            rules.Update(ctx.scope(), rule);
        }
        const nlohmann::json shown = rule.ToJson();
        if (changes.empty()) {
            ctx.Audit("workflows." + verb, rule.id.str());
        } else {
            common::RecordChange(ctx, "workflow", verb, rule.id.str(), shown, changes);
        }
        return http::Response::Json(200, shown);
    };
}

http::Response ListLogs(http::RequestContext& ctx, const WorkflowRepository& rules) {
    const WorkflowRule rule = Existing(ctx, rules);
    const auto page = http::PageRequest::FromQuery(ctx);
    const auto status = ctx.Query("status");
    if (status && *status != "succeeded" && *status != "failed" && *status != "skipped")
        throw ValidationError("status", "must be one of: succeeded, failed, skipped");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& log : WorkflowLogRepository::List(ctx.scope(), rule.id, status, page.after_id, page.limit))
        items.push_back(log.ToJson());
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

/// A stored event of the tenant (`event_id`), or a sample (`data`) shaped as the trigger's events.
events::StoredEvent SampleEvent(http::RequestContext& ctx, const WorkflowRule& rule) {
    const auto& body = ctx.body();
    if (body.contains("event_id") == body.contains("data"))
        throw ValidationError("body", "must give either event_id or data");
    if (body.contains("event_id")) {
        auto event = events::EventOutbox::Find(ctx.scope(), body["event_id"]);
        if (!event) throw ValidationError("event_id", "is not an event of this tenant");
        if (event->type != rule.trigger_event)
            throw ValidationError("event_id",
                                  "is a " + event->type + " event; the rule reacts to " + rule.trigger_event);
        return *event;
    }
    return {.id = "00000000-0000-7000-8000-000000000000",
            .tenant_id = ctx.tenant().str(),
            .type = rule.trigger_event,
            .ordering_key = "sample",
            .sequence = 1,
            .data = body["data"],
            .timestamp = FormatTimestamp(Now())};
}

http::Response DryRun(http::RequestContext& ctx, Deps deps) {
    const WorkflowRule rule = Existing(ctx, deps.rules);
    return http::Response::Json(200, WorkflowRunner::DryRun(deps.registry, rule, SampleEvent(ctx, rule)));
}

http::Handler ListActionTypes(const ActionRegistry& registry) {
    return [&registry](http::RequestContext&) {
        nlohmann::json types = nlohmann::json::array();
        for (const auto& type : registry.types())
            types.push_back({{"name", type.name},
                             {"description", type.description},
                             {"params_schema", type.params.ToJsonSchema()}});
        return http::Response::Json(200, {{"data", types}, {"condition_operators", ConditionOperators()}});
    };
}

http::Schema WorkflowBody(bool create) {
    const auto condition =
        http::Schema::Object()
            .Required("field", http::Schema::String().MinLength(1).MaxLength(200).Description(
                                   "Dotted path into the event's data, e.g. invoice.total"))
            .Required("op", http::Schema::String().Enum(ConditionOperators()))
            .Field("value", http::Schema::Any().Description("Compared with the field; a list for in/not_in, absent for "
                                                            "exists/not_exists"));
    const auto action = http::Schema::Object()
                            .Required("type", http::Schema::String().MinLength(1).MaxLength(100).Description(
                                                  "GET /workflows/actions lists the types"))
                            .Field("params", http::Schema::Object().AnyProperties());
    return http::Schema::Object()
        .Field("name", http::Schema::String().MinLength(1).MaxLength(200), create)
        .Field("description", http::Schema::String().MaxLength(2000))
        .Field("trigger_event", http::Schema::String().MinLength(1).MaxLength(100).Description("e.g. invoice.issued"),
               create)
        .Field("conditions", http::Schema::ArrayOf(condition).MaxItems(kMaxConditions).Description("All must hold"))
        .Field("actions", http::Schema::ArrayOf(action).MaxItems(kMaxActions).Description("Run in order"), create)
        .Field("is_enabled", http::Schema::Boolean());
}

}  // namespace

void DeclareWorkflowEvents(events::EventTypeRegistry& registry) {
    common::DeclareCrudEvents(registry, "workflow", WorkflowBody(true), {"enable", "disable"});
}

void RegisterWorkflowRoutes(http::RouteTable& routes, const ActionRegistry& actions, const WorkflowRepository& rules) {
    const Deps deps{actions, rules};
    common::AddCrudRoutes(
        routes,
        {.noun = "workflow",
         .tag = "workflows",
         .list_filters = {{"trigger_event", "string", "Rules reacting to this event type"},
                          {"is_enabled", "string", "true or false"}},
         .create_body = WorkflowBody(true),
         .update_body = WorkflowBody(false),
         .list = [&rules](http::RequestContext& ctx) { return ListWorkflows(ctx, rules); },
         .create = CreateWorkflow(deps),
         .get = [&rules](http::RequestContext& ctx) { return GetWorkflow(ctx, rules); },
         .update = UpdateWorkflow(deps),
         .remove = [&rules](http::RequestContext& ctx) { return DeleteWorkflow(ctx, rules); },
         .actions = {{"enable", "Enable a rule", SetEnabled(rules, "enable", true)},
                     {"disable", "Disable a rule: events no longer run it", SetEnabled(rules, "disable", false)}}});
    http::RouteGroup group(routes, "workflows", "workflows", "workflow");
    group.Add({.method = http::Method::kGet,
               .path = "/workflows/actions",
               .operation_id = "listWorkflowActionTypes",
               .summary = "The action types rules can use, with the JSON Schema of their params",
               .handler = ListActionTypes(actions)},
              "read");
    group.Add({.method = http::Method::kGet,
               .path = "/workflows/{id}/logs",
               .operation_id = "listWorkflowLogs",
               .summary = "A rule's runs, newest first",
               .query = {{"status", "string", "succeeded, failed or skipped"},
                         {"limit", "integer", "Page size"},
                         {"cursor", "string", "next_cursor of the previous page"}},
               .handler = [&rules](http::RequestContext& ctx) { return ListLogs(ctx, rules); }},
              "read");
    group.Add({.method = http::Method::kPost,
               .path = "/workflows/{id}/dry-run",
               .operation_id = "dryRunWorkflow",
               .summary = "Evaluate a rule against a stored or sample event without running its actions",
               .body = http::Schema::Object()
                           .Field("event_id", http::Schema::String().Format("uuid"))
                           .Field("data", http::Schema::Object().AnyProperties().Description(
                                              "A sample of the trigger's event data")),
               .handler = [deps](http::RequestContext& ctx) { return DryRun(ctx, deps); }},
              "read");
}

}  // namespace kiln::workflows
