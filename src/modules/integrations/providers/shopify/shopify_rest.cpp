#include "modules/integrations/providers/shopify/shopify_rest.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include "modules/integrations/provider_json.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

constexpr const char* kVariantGidPrefix = "gid://shopify/ProductVariant/";
constexpr const char* kProductGidPrefix = "gid://shopify/Product/";

bool IsDigits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// A REST id (a number, or its digits) in GraphQL's gid form; a gid stays as it is.
std::string Gid(const std::string& prefix, const std::string& id) {
    return IsDigits(id) ? prefix + id : id;
}

/// The `price` of a REST variant or line item in cents; -1 when it is absent or unreadable.
int64_t PriceOf(const json& item) {
    if (!item.is_object() || !item.contains("price")) return -1;
    return MoneyToMinor(item.at("price")).value_or(-1);
}

}  // namespace

std::optional<int64_t> MoneyToMinor(const json& amount) {
    if (amount.is_string()) return DecimalToMinor(amount.get<std::string>());
    if (amount.is_number()) return DecimalToMinor(amount.dump());
    return std::nullopt;
}

std::string VariantGid(const std::string& id) {
    return Gid(kVariantGidPrefix, id);
}

CommerceProduct ProductFromRest(const json& product) {
    CommerceProduct result;
    result.external_id = Gid(kProductGidPrefix, IdField(product, "id"));
    result.title = StringField(product, "title");
    result.description = StringField(product, "body_html");
    result.status = StringField(product, "status");
    result.updated_at = StringField(product, "updated_at");
    if (product.is_object() && product.contains("variants") && product.at("variants").is_array()) {
        for (const auto& item : product.at("variants")) {
            CommerceVariant variant;
            variant.external_id = VariantGid(IdField(item, "id"));
            variant.sku = StringField(item, "sku");
            variant.title = StringField(item, "title");
            variant.price = PriceOf(item);
            result.variants.push_back(std::move(variant));
        }
    }
    return result;
}

CommerceOrder OrderFromRest(const json& order) {
    CommerceOrder result;
    result.external_id = IdField(order, "id");
    result.name = StringField(order, "name");
    result.currency = StringField(order, "currency");
    result.updated_at = StringField(order, "updated_at");
    result.financial_status = StringField(order, "financial_status");
    result.customer_email = StringField(order, "email");
    if (order.is_object() && order.contains("customer") && order.at("customer").is_object()) {
        const json& customer = order.at("customer");
        result.customer_external_id = IdField(customer, "id");
        if (const std::string email = StringField(customer, "email"); !email.empty()) result.customer_email = email;
        const std::string first = StringField(customer, "first_name");
        const std::string last = StringField(customer, "last_name");
        result.customer_name = first.empty() || last.empty() ? first + last : first + " " + last;
    }
    if (order.is_object() && order.contains("line_items") && order.at("line_items").is_array()) {
        for (const auto& item : order.at("line_items")) {
            CommerceOrderLine line;
            line.sku = StringField(item, "sku");
            line.title = StringField(item, "title");
            const bool has_quantity =
                item.is_object() && item.contains("quantity") && item.at("quantity").is_number_integer();
            line.quantity = has_quantity ? item.at("quantity").get<int64_t>() : -1;
            line.unit_price = PriceOf(item);
            line.product_external_id = IdField(item, "product_id");
            line.variant_external_id = IdField(item, "variant_id");
            result.lines.push_back(std::move(line));
        }
    }
    return result;
}

}  // namespace kiln::integrations
