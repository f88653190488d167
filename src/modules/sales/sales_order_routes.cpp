#include "modules/sales/sales_order_routes.hpp"

#include "core/money.hpp"
#include "core/uuid.hpp"
#include "http/date_query.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "modules/common/changes.hpp"
#include "modules/common/crud_routes.hpp"
#include "modules/common/document_lines.hpp"
#include "modules/events/event_types.hpp"
#include "modules/sales/sales_order_service.hpp"

namespace kiln::sales {

namespace {

SalesOrder Existing(http::RequestContext& ctx) {
    auto order = SalesOrderService::Find(ctx.scope(), SalesOrderId(ctx.IdParam("id")));
    if (!order) throw ctx.NotFoundError();
    return *order;
}

/// The validated body's lines.
std::vector<SalesOrderLineRequest> LineRequests(const nlohmann::json& body_lines) {
    std::vector<SalesOrderLineRequest> lines;
    for (const auto& in : body_lines)
        lines.push_back(
            {.product_id = in.at("product_id"),
             .description = in.contains("description") ? std::optional<std::string>(in["description"]) : std::nullopt,
             .quantity = in.at("quantity"),
             .unit_price = in.contains("unit_price") ? std::optional<int64_t>(in["unit_price"]) : std::nullopt,
             .tax_rate_bp = in.value("tax_rate_bp", int64_t{0})});
    return lines;
}

http::Response ListSalesOrders(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    const auto created = http::QueryCreatedRange(ctx);
    SalesOrderFilter filter{.q = ctx.Query("q"),
                            .customer_id = ctx.Query("customer_id"),
                            .created_from = created.from,
                            .created_until = created.until,
                            .before_id = page.after_id,
                            .limit = page.limit};
    if (const auto status = ctx.Query("status")) {
        filter.status = kSalesOrderStatuses.Parse(*status);
        if (!filter.status) throw ValidationError("status", "must be one of " + kSalesOrderStatuses.Describe());
    }
    if (filter.customer_id && !IsUuid(*filter.customer_id)) throw ValidationError("customer_id", "must be a UUID");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& order : SalesOrderService::List(ctx.scope(), filter)) items.push_back(order.ToJson(false));
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

http::Response GetSalesOrder(http::RequestContext& ctx) {
    return http::Response::Json(200, Existing(ctx).ToJson());
}

http::Response CreateSalesOrder(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    const SalesOrder order = SalesOrderService::Create(
        ctx.scope(), {.customer_id = customers::CustomerId(body.at("customer_id")),
                      .currency = body.at("currency"),
                      .source = body.value("source", "manual"),
                      .external_ref = body.contains("external_ref") && !body["external_ref"].is_null()
                                          ? std::optional<std::string>(body["external_ref"])
                                          : std::nullopt,
                      .notes = body.value("notes", ""),
                      .lines = LineRequests(body.at("lines"))});
    const auto created = order.ToJson();
    common::RecordChange(ctx, "sales_order", "create", order.id.str(), created, created);
    return http::Response::Json(201, created);
}

http::Response UpdateSalesOrder(http::RequestContext& ctx) {
    SalesOrder order = Existing(ctx);
    const auto& body = ctx.body();
    SalesOrderEdit edit;
    if (body.contains("customer_id")) edit.customer_id = customers::CustomerId(body["customer_id"]);
    if (body.contains("notes")) edit.notes = body["notes"];
    if (body.contains("lines")) edit.lines = LineRequests(body["lines"]);
    const auto changes = SalesOrderService::Edit(ctx.scope(), order, edit);
    const nlohmann::json shown = order.ToJson();
    common::RecordChange(ctx, "sales_order", "update", order.id.str(), shown, changes);
    return http::Response::Json(200, shown);
}

http::Response DeleteSalesOrder(http::RequestContext& ctx) {
    const SalesOrder order = Existing(ctx);
    SalesOrderService::Delete(ctx.scope(), order);
    common::RecordChange(ctx, "sales_order", "delete", order.id.str(), order.ToJson(), {{"number", order.number}});
    return http::Response::NoContent();
}

/// POST /sales-orders/{id}/<verb>.
http::Handler Transition(const std::string& verb, SalesOrderAction action) {
    return [verb, action](http::RequestContext& ctx) {
        SalesOrder order = Existing(ctx);
        const auto changes = SalesOrderService::Apply(ctx.scope(), order, action);
        const nlohmann::json shown = order.ToJson();
        common::RecordChange(ctx, "sales_order", verb, order.id.str(), shown, changes);
        return http::Response::Json(200, shown);
    };
}

http::Schema LinesSchema() {
    return http::Schema::ArrayOf(
               http::Schema::Object()
                   .Field("product_id", http::Schema::String().Format("uuid"), true)
                   .Field("description",
                          http::Schema::String().MaxLength(5000).Description("The product's name when absent"))
                   .Field("quantity", common::LineQuantitySchema(), true)
                   .Field("unit_price",
                          http::Schema::Integer()
                              .Minimum(0)
                              .Maximum(kMaxUnitPrice)
                              .Description("In minor units of the order's currency; the product's price when absent"))
                   .Field("tax_rate_bp", common::LineTaxRateSchema()))
        .MaxItems(common::kMaxDocumentLines);
}

/// Creation names the customer, currency and lines; an update (drafts only) may change the
/// customer, the notes and the whole list of lines.
http::Schema SalesOrderBody(bool create) {
    auto body = http::Schema::Object().Field("customer_id", http::Schema::String().Format("uuid"), create);
    if (create)
        body.Field("currency", http::Schema::String().Enum(CurrencyCodes()).Description("ISO 4217 code"), true)
            .Field("source", http::Schema::String().MinLength(1).MaxLength(64).Description(
                                 "Where the order came from: manual "
                                 "(the default) or a store, e.g. shopify"))
            .Field("external_ref", http::Schema::String().MinLength(1).MaxLength(200).Nullable().Description(
                                       "The order's id in `source`; unique per source"));
    return body.Field("notes", http::Schema::String().MaxLength(5000)).Field("lines", LinesSchema(), create);
}

}  // namespace

void DeclareSalesOrderEvents(events::EventTypeRegistry& registry) {
    common::DeclareCrudEvents(registry, "sales_order", SalesOrderBody(true), {"confirm", "fulfill", "cancel"});
}

void RegisterSalesOrderRoutes(http::RouteTable& routes) {
    common::AddCrudRoutes(
        routes,
        {.noun = "sales_order",
         .tag = "sales",
         .list_filters = {{"status", "string", kSalesOrderStatuses.Describe()},
                          {"customer_id", "string", "Orders of this customer"},
                          {"q", "string", "Part of the number, ignoring case"},
                          {"created_from", "string", "YYYY-MM-DD: created on or after this day"},
                          {"created_until", "string", "YYYY-MM-DD: created on or before this day"}},
         .create_body = SalesOrderBody(true),
         .update_body = SalesOrderBody(false),
         .list = ListSalesOrders,
         .create = CreateSalesOrder,
         .get = GetSalesOrder,
         .update = UpdateSalesOrder,
         .remove = DeleteSalesOrder,
         .path = "/sales-orders",
         .actions = {
             {"confirm", "Confirm a draft order", Transition("confirm", SalesOrderAction::kConfirm)},
             {"fulfill", "Mark a confirmed order fulfilled", Transition("fulfill", SalesOrderAction::kFulfill)},
             {"cancel", "Cancel a draft or confirmed order", Transition("cancel", SalesOrderAction::kCancel)}}});
}

}  // namespace kiln::sales
