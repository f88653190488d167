#include "modules/catalog/product_routes.hpp"

#include "core/uuid.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "modules/catalog/product_service.hpp"
#include "modules/common/changes.hpp"
#include "modules/common/crud_routes.hpp"
#include "modules/events/event_types.hpp"

namespace kiln::catalog {

namespace {

Product Existing(http::RequestContext& ctx) {
    auto product = ProductService::Find(ctx.scope(), ProductId(ctx.IdParam("id")));
    if (!product) throw ctx.NotFoundError();
    return *product;
}

std::optional<bool> BoolQuery(const http::RequestContext& ctx, const std::string& name) {
    const auto value = ctx.Query(name);
    if (!value) return std::nullopt;
    if (*value != "true" && *value != "false") throw ValidationError(name, "must be true or false");
    return *value == "true";
}

http::Response ListProducts(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    const ProductFilter filter{.q = ctx.Query("q"),
                               .active = BoolQuery(ctx, "active"),
                               .sku = ctx.Query("sku"),
                               .before_id = page.after_id,
                               .limit = page.limit};
    nlohmann::json items = nlohmann::json::array();
    for (const auto& product : ProductService::List(ctx.scope(), filter)) items.push_back(product.ToJson());
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

http::Response GetProduct(http::RequestContext& ctx) {
    return http::Response::Json(200, Existing(ctx).ToJson());
}

http::Response CreateProduct(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    const Timestamp now = Now();
    const Product product{.id = ProductId(NewUuidV7()),
                          .sku = body.at("sku"),
                          .name = body.at("name"),
                          .description = body.value("description", ""),
                          .unit_price = {body.at("unit_price"), body.at("currency")},
                          .active = body.value("active", true),
                          .stock_quantity = body.value("stock_quantity", int64_t{0}),
                          .external_refs = common::ExternalRefsIn(body).value_or(std::vector<common::ExternalRef>{}),
                          .created_at = now,
                          .updated_at = now,
                          .unit_cost = body.value("unit_cost", int64_t{0}),
                          .reorder_level = body.contains("reorder_level") && !body["reorder_level"].is_null()
                                               ? std::optional<int64_t>(body["reorder_level"].get<int64_t>())
                                               : std::nullopt};
    ProductService::Insert(ctx.scope(), product);
    const auto created = product.ToJson();
    common::RecordChange(ctx, "product", "create", product.id.str(), created, created);
    return http::Response::Json(201, created);
}

http::Response UpdateProduct(http::RequestContext& ctx) {
    Product product = Existing(ctx);
    common::ChangeSet changes(ctx.body());
    changes.Apply("sku", product.sku);
    changes.Apply("name", product.name);
    changes.Apply("description", product.description);
    changes.Apply("unit_price", product.unit_price.minor_units);
    changes.Apply("currency", product.unit_price.currency);
    changes.Apply("active", product.active);
    changes.Apply("stock_quantity", product.stock_quantity);
    changes.Apply("unit_cost", product.unit_cost);
    changes.Apply("reorder_level", product.reorder_level);
    changes.ApplyExternalRefs(product.external_refs);
    return common::SaveUpdate<ProductService>(ctx, "product", product, changes);
}

http::Response DeleteProduct(http::RequestContext& ctx) {
    const Product product = Existing(ctx);
    ProductService::Delete(ctx.scope(), product.id);
    common::RecordChange(ctx, "product", "delete", product.id.str(), product.ToJson(),
                         {{"sku", product.sku}, {"name", product.name}});
    return http::Response::NoContent();
}

/// Creation requires what a product cannot do without; an update may name any subset.
http::Schema ProductBody(bool create) {
    return http::Schema::Object()
        .Field("sku", http::Schema::String().MinLength(1).MaxLength(64).Description("Unique within the tenant"), create)
        .Field("name", http::Schema::String().MinLength(1).MaxLength(200), create)
        .Field("description", http::Schema::String().MaxLength(5000))
        .Field("unit_price",
               http::Schema::Integer().Minimum(0).Maximum(kMaxUnitPrice).Description("In minor units of the currency"),
               create)
        .Field("currency", http::Schema::String().Enum(CurrencyCodes()).Description("ISO 4217 code"), create)
        .Field("active", http::Schema::Boolean())
        .Field("stock_quantity", http::Schema::Integer().Minimum(0).Maximum(kMaxStockQuantity))
        .Field("unit_cost", http::Schema::Integer()
                                .Minimum(0)
                                .Maximum(kMaxUnitPrice)
                                .Description("What one costs the tenant, in minor units: cost of goods sold"))
        .Field("reorder_level", http::Schema::Integer()
                                    .Minimum(0)
                                    .Maximum(kMaxStockQuantity)
                                    .Nullable()
                                    .Description("product.low_stock is published when the quantity falls to it"))
        .Field("external_refs", common::ExternalRefsSchema());
}

}  // namespace

void DeclareProductEvents(events::EventTypeRegistry& registry) {
    common::DeclareCrudEvents(registry, "product", ProductBody(true));
}

void RegisterProductRoutes(http::RouteTable& routes) {
    common::AddCrudRoutes(routes, {.noun = "product",
                                   .tag = "catalog",
                                   .list_filters = {{"q", "string", "SKU prefix or part of the name, ignoring case"},
                                                    {"active", "string", "true or false"},
                                                    {"sku", "string", "Exactly this SKU"}},
                                   .create_body = ProductBody(true),
                                   .update_body = ProductBody(false),
                                   .list = ListProducts,
                                   .create = CreateProduct,
                                   .get = GetProduct,
                                   .update = UpdateProduct,
                                   .remove = DeleteProduct});
}

}  // namespace kiln::catalog
