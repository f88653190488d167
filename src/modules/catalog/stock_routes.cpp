#include "modules/catalog/stock_routes.hpp"

#include "core/uuid.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "http/route_group.hpp"
#include "modules/catalog/stock_service.hpp"

namespace kiln::catalog {

namespace {

http::Response ListMovements(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    auto product = ctx.Query("product_id");
    if (product && !IsUuid(*product)) throw ValidationError("product_id", "must be a product id");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& movement : StockService::List(
             ctx.scope(), {.product_id = std::move(product), .before_id = page.after_id, .limit = page.limit}))
        items.push_back(movement.ToJson());
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

http::Response AdjustStock(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    const std::string product = body.at("product_id");
    if (!IsUuid(product)) throw ValidationError("product_id", "does not name a product");
    const int64_t quantity = body.at("quantity");
    if (quantity == 0) throw ValidationError("quantity", "must not be zero");
    StockMovement movement;
    try {
        movement =
            StockService::Adjust(ctx.scope(), ProductId(product), quantity, body.value("memo", ""), ctx.request_id());
    } catch (const NotFound&) {
        throw ValidationError("product_id", "does not name a product");
    }
    const auto shown = movement.ToJson();
    ctx.Audit("stock_movements.create", movement.id.str(), shown);
    return http::Response::Json(201, shown);
}

nlohmann::json Settings(const db::TenantScope& scope) {
    return {{"allow_negative_stock", StockService::AllowsNegativeStock(scope)}};
}

http::Response GetSettings(http::RequestContext& ctx) {
    return http::Response::Json(200, Settings(ctx.scope()));
}

http::Response UpdateSettings(http::RequestContext& ctx) {
    const bool before = StockService::AllowsNegativeStock(ctx.scope());
    const bool allow = ctx.body().at("allow_negative_stock");
    StockService::SetAllowNegativeStock(ctx.scope(), allow);
    ctx.Audit("inventory_settings.update", "inventory", {{"allow_negative_stock", {{"from", before}, {"to", allow}}}});
    return http::Response::Json(200, Settings(ctx.scope()));
}

}  // namespace

void RegisterStockRoutes(http::RouteTable& routes) {
    http::RouteGroup stock(routes, "catalog", "products", "stock_movement");
    stock.Add({.method = http::Method::kGet,
               .path = "/stock-movements",
               .operation_id = "listStockMovements",
               .summary = "Every change of a product's quantity, newest first",
               .query = {{"product_id", "string", "The movements of this product"},
                         {"limit", "integer", "Page size"},
                         {"cursor", "string", "next_cursor of the previous page"}},
               .handler = ListMovements},
              "read");
    stock.Add({.method = http::Method::kPost,
               .path = "/stock-movements",
               .operation_id = "adjustStock",
               .summary = "Receive (positive) or write off (negative) stock of a product",
               .body = http::Schema::Object()
                           .Required("product_id", http::Schema::String().Format("uuid"))
                           .Required("quantity", http::Schema::Integer()
                                                     .Minimum(-kMaxStockQuantity)
                                                     .Maximum(kMaxStockQuantity)
                                                     .Description("Positive in, negative out; not zero"))
                           .Field("memo", http::Schema::String().MaxLength(500)),
               .success_status = 201,
               .creates = true,
               .handler = AdjustStock},
              "update");
    http::RouteGroup settings(routes, "catalog", "products", "inventory_settings");
    settings.Add({.method = http::Method::kGet,
                  .path = "/inventory/settings",
                  .operation_id = "getInventorySettings",
                  .summary = "Whether stock may go below zero",
                  .handler = GetSettings},
                 "read");
    settings.Add({.method = http::Method::kPut,
                  .path = "/inventory/settings",
                  .operation_id = "updateInventorySettings",
                  .summary = "Allow or refuse stock below zero (fulfillments and adjustments)",
                  .body = http::Schema::Object().Required("allow_negative_stock", http::Schema::Boolean()),
                  .handler = UpdateSettings},
                 "update");
}

}  // namespace kiln::catalog
