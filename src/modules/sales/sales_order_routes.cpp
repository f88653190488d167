#include "modules/sales/sales_order_routes.hpp"

#include <algorithm>

#include "core/money.hpp"
#include "core/uuid.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "modules/catalog/product_repository.hpp"
#include "modules/common/changes.hpp"
#include "modules/common/crud_routes.hpp"
#include "modules/common/document_lines.hpp"
#include "modules/common/document_numbers.hpp"
#include "modules/customers/customer_repository.hpp"
#include "modules/events/event_types.hpp"
#include "modules/sales/sales_order_repository.hpp"

namespace kiln::sales {

namespace {

const std::vector<std::string> kStatuses = {"draft", "confirmed", "fulfilled", "cancelled"};

SalesOrder Existing(http::RequestContext& ctx) {
    auto order = SalesOrderRepository::Find(ctx.scope(), SalesOrderId(ctx.IdParam("id")));
    if (!order) throw ctx.NotFoundError();
    return *order;
}

/// The customer must be one of the tenant's: another tenant's id reads exactly like a missing one.
void CheckCustomer(http::RequestContext& ctx, const std::string& customer_id, std::vector<FieldError>& errors) {
    if (!customers::CustomerRepository::Find(ctx.scope(), customers::CustomerId(customer_id)))
        errors.push_back({"customer_id", "does not name a customer"});
}

/// Lines from the validated body, priced and taxed, each checked against the tenant's products.
/// Every problem is added to `errors`, so one answer lists them all.
std::vector<SalesOrderLine> PricedLines(http::RequestContext& ctx, const nlohmann::json& body_lines,
                                        const std::string& currency, std::vector<FieldError>& errors) {
    std::vector<SalesOrderLine> lines;
    for (size_t i = 0; i < body_lines.size(); ++i) {
        const auto& in = body_lines[i];
        const std::string where = "lines[" + std::to_string(i) + "]";
        const std::string product_id = in.at("product_id");
        const auto product = catalog::ProductRepository::Find(ctx.scope(), catalog::ProductId(product_id));
        if (!product) {
            errors.push_back({where + ".product_id", "does not name a product"});
            continue;
        }
        if (product->unit_price.currency != currency) {
            errors.push_back({where + ".product_id", "mixed currencies: the product is priced in " +
                                                         product->unit_price.currency + ", the order is in " +
                                                         currency});
            continue;
        }
        SalesOrderLine line{.product_id = product_id,
                            .description = in.value("description", product->name),
                            .quantity = in.at("quantity"),
                            .unit_price = in.value("unit_price", product->unit_price.minor_units),
                            .tax_rate_bp = in.value("tax_rate_bp", int64_t{0})};
        if (!line.Price()) {
            errors.push_back({where, "is beyond the range of amounts Kiln can hold"});
            continue;
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

/// Subtotal, tax and total as sums of the lines, checked for overflow.
void ComputeTotals(SalesOrder& order, std::vector<FieldError>& errors) {
    const auto totals = common::SumLines(order.lines, errors);
    order.subtotal = totals.subtotal;
    order.tax_total = totals.tax_total;
    order.total = totals.total;
}

http::Response ListSalesOrders(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    const SalesOrderFilter filter{.q = ctx.Query("q"),
                                  .status = ctx.Query("status"),
                                  .customer_id = ctx.Query("customer_id"),
                                  .before_id = page.after_id,
                                  .limit = page.limit};
    if (filter.status && std::find(kStatuses.begin(), kStatuses.end(), *filter.status) == kStatuses.end())
        throw ValidationError("status", "must be one of draft, confirmed, fulfilled, cancelled");
    if (filter.customer_id && !IsUuid(*filter.customer_id)) throw ValidationError("customer_id", "must be a UUID");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& order : SalesOrderRepository::List(ctx.scope(), filter)) items.push_back(order.ToJson(false));
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

http::Response GetSalesOrder(http::RequestContext& ctx) {
    return http::Response::Json(200, Existing(ctx).ToJson());
}

http::Response CreateSalesOrder(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    const Timestamp now = Now();
    SalesOrder order{.id = SalesOrderId(NewUuidV7()),
                     .number = {},
                     .customer_id = body.at("customer_id"),
                     .currency = body.at("currency"),
                     .status = "draft",
                     .source = body.value("source", "manual"),
                     .external_ref = body.contains("external_ref") && !body["external_ref"].is_null()
                                         ? std::optional<std::string>(body["external_ref"])
                                         : std::nullopt,
                     .notes = body.value("notes", ""),
                     .created_at = now,
                     .updated_at = now};
    std::vector<FieldError> errors;
    CheckCustomer(ctx, order.customer_id, errors);
    order.lines = PricedLines(ctx, body.at("lines"), order.currency, errors);
    ComputeTotals(order, errors);
    if (!errors.empty()) throw ValidationError(std::move(errors));
    // Numbered last, so a refused order does not use up a number (the transaction rolls back anyway).
    order.number = common::NextDocumentNumber(ctx.scope(), "SO");
    SalesOrderRepository::Insert(ctx.scope(), order);
    const auto created = order.ToJson();
    common::RecordChange(ctx, "sales_order", "create", order.id.str(), created, created);
    return http::Response::Json(201, created);
}

/// Only drafts may be edited or deleted: a confirmed order is what the customer was promised.
void RequireDraft(const SalesOrder& order, const std::string& what) {
    if (order.status != "draft")
        throw Conflict("Only draft sales orders can be " + what + "; this one is " + order.status + ".");
}

http::Response UpdateSalesOrder(http::RequestContext& ctx) {
    SalesOrder order = Existing(ctx);
    RequireDraft(order, "changed");
    const auto& body = ctx.body();
    common::ChangeSet changes(body);
    std::vector<FieldError> errors;
    if (body.contains("customer_id")) CheckCustomer(ctx, body["customer_id"], errors);
    if (body.contains("lines")) {
        const auto lines = PricedLines(ctx, body["lines"], order.currency, errors);
        nlohmann::json shown_lines = common::LinesJson(order.lines);
        changes.Set("lines", shown_lines, common::LinesJson(lines));
        order.lines = lines;
        ComputeTotals(order, errors);
    }
    if (!errors.empty()) throw ValidationError(std::move(errors));
    changes.Apply("customer_id", order.customer_id);
    changes.Apply("notes", order.notes);
    if (!changes.changes().empty()) {
        order.updated_at = Now();
        SalesOrderRepository::Update(ctx.scope(), order, changes.Contains("lines"));
    }
    const nlohmann::json shown = order.ToJson();
    common::RecordChange(ctx, "sales_order", "update", order.id.str(), shown, changes.changes());
    return http::Response::Json(200, shown);
}

http::Response DeleteSalesOrder(http::RequestContext& ctx) {
    const SalesOrder order = Existing(ctx);
    RequireDraft(order, "deleted");
    SalesOrderRepository::Delete(ctx.scope(), order.id);
    common::RecordChange(ctx, "sales_order", "delete", order.id.str(), order.ToJson(), {{"number", order.number}});
    return http::Response::NoContent();
}

/// A status change `verb` moving an order from one of `from` to `to`; any other is a 409 that writes nothing.
http::Handler Transition(const std::string& verb, std::vector<std::string> from, const std::string& to) {
    return [verb, from = std::move(from), to](http::RequestContext& ctx) {
        SalesOrder order = Existing(ctx);
        if (std::find(from.begin(), from.end(), order.status) == from.end())
            throw Conflict("A " + order.status + " sales order cannot be " + common::PastTense(verb) + ".");
        const nlohmann::json changes = {{"status", {{"from", order.status}, {"to", to}}}};
        order.status = to;
        order.updated_at = Now();
        SalesOrderRepository::Update(ctx.scope(), order, false);
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
         .list_filters = {{"status", "string", "draft, confirmed, fulfilled or cancelled"},
                          {"customer_id", "string", "Orders of this customer"},
                          {"q", "string", "Part of the number, ignoring case"}},
         .create_body = SalesOrderBody(true),
         .update_body = SalesOrderBody(false),
         .list = ListSalesOrders,
         .create = CreateSalesOrder,
         .get = GetSalesOrder,
         .update = UpdateSalesOrder,
         .remove = DeleteSalesOrder,
         .path = "/sales-orders",
         .actions = {{"confirm", "Confirm a draft order", Transition("confirm", {"draft"}, "confirmed")},
                     {"fulfill", "Mark a confirmed order fulfilled", Transition("fulfill", {"confirmed"}, "fulfilled")},
                     {"cancel", "Cancel a draft or confirmed order",
                      Transition("cancel", {"draft", "confirmed"}, "cancelled")}}});
}

}  // namespace kiln::sales
