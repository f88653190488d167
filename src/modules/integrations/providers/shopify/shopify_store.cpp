#include "modules/integrations/providers/shopify/shopify_store.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/form_encoding.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "modules/integrations/provider_json.hpp"
#include "modules/integrations/providers/shopify/shopify_provider.hpp"
#include "modules/integrations/providers/shopify/shopify_rest.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;
using std::chrono::duration;
using std::chrono::milliseconds;

constexpr const char* kDefaultApiVersion = "2025-01";
constexpr int kProductPageSize = 50;
constexpr int kOrderPageSize = 100;
constexpr int kMaxThrottleRetries = 5;
constexpr duration<double> kMaxThrottleWait{10.0};
constexpr duration<double> kMinThrottleWait{0.1};
// The REST bucket leaks 2 calls a second: one second of rest leaves room for the next call.
constexpr milliseconds kLeakyBucketRest{1000};

constexpr const char* kProductsQuery = R"(query Products($first: Int!, $after: String, $query: String) {
  products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id title handle status updatedAt description
      variants(first: 100) { nodes { id sku price title } }
    }
  }
})";

// The shop's name proves the token; one product id proves the read_products scope that product sync needs.
constexpr const char* kConnectionQuery = "{ shop { name } products(first: 1) { nodes { id } } }";

double NumberAt(const json& object, const json::json_pointer& pointer, double fallback) {
    if (!object.contains(pointer)) return fallback;
    const json& value = object.at(pointer);
    return value.is_number() ? value.get<double>() : fallback;
}

/// Shopify's error shapes: `"Not Found"`, `[{"message":…}]` (GraphQL), `{"title":["can't be blank"]}` (REST).
std::string ErrorsText(const json& errors) {
    if (errors.is_string()) return errors.get<std::string>();
    std::vector<std::string> parts;
    if (errors.is_array()) {
        for (const auto& error : errors) {
            if (error.is_string()) parts.push_back(error.get<std::string>());
            if (error.is_object() && !StringField(error, "message").empty())
                parts.push_back(StringField(error, "message"));
        }
    } else if (errors.is_object()) {
        for (const auto& [field, messages] : errors.items())
            parts.push_back(field + " " + (messages.is_string() ? messages.get<std::string>() : messages.dump()));
    }
    std::string text;
    for (const auto& part : parts) text += (text.empty() ? "" : "; ") + part;
    return text;
}

std::string RestErrorMessage(const std::string& body) {
    const auto parsed = json::parse(body, nullptr, false);
    if (!parsed.is_object()) return {};
    if (parsed.contains("errors")) return ErrorsText(parsed.at("errors"));
    return StringField(parsed, "error");
}

bool IsThrottled(const json& errors) {
    if (!errors.is_array()) return false;
    return std::any_of(errors.begin(), errors.end(), [](const json& error) {
        if (!error.is_object()) return false;
        const auto code = json::json_pointer("/extensions/code");
        return StringField(error, "message") == "Throttled" ||
               (error.contains(code) && error.at(code).is_string() && error.at(code).get<std::string>() == "THROTTLED");
    });
}

bool HasErrors(const json& answer) {
    const auto it = answer.find("errors");
    return it != answer.end() && !it->is_null() && !it->empty();
}

/// How long a throttled query waits for its points: (requested - available) / restore rate, within bounds.
milliseconds ThrottleWait(const json& answer) {
    const auto cost = json::json_pointer("/extensions/cost");
    const double requested = NumberAt(answer, cost / "requestedQueryCost", -1);
    const double available = NumberAt(answer, cost / "throttleStatus" / "currentlyAvailable", -1);
    const double rate = NumberAt(answer, cost / "throttleStatus" / "restoreRate", 0);
    duration<double> wait{1.0};  // no throttle status: a second restores at least 50 points on every plan
    if (requested >= 0 && available >= 0 && rate > 0) wait = duration<double>((requested - available) / rate);
    wait = std::clamp(wait, kMinThrottleWait, kMaxThrottleWait);
    return std::chrono::duration_cast<milliseconds>(wait);
}

/// The `page_info` of the Link header's rel="next" URL (`<url>; rel="next", <url>; rel="previous"`), decoded.
std::optional<std::string> NextPageInfo(const std::optional<std::string>& link) {
    if (!link) return std::nullopt;
    std::string_view rest = *link;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view entry = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        const auto open = entry.find('<');
        const auto close = entry.find('>', open == std::string_view::npos ? 0 : open);
        if (open == std::string_view::npos || close == std::string_view::npos) continue;
        if (entry.find(R"(rel="next")", close) == std::string_view::npos) continue;
        const std::string_view url = entry.substr(open + 1, close - open - 1);
        const auto query = url.find('?');
        if (query == std::string_view::npos) continue;
        try {
            for (auto& [name, value] : ParseFormUrlEncoded(url.substr(query + 1)))
                if (name == "page_info" && !value.empty()) return std::move(value);
        } catch (const std::invalid_argument&) {
            return std::nullopt;  // an unreadable URL is no cursor: the caller treats it as the last page
        }
    }
    return std::nullopt;
}

/// `X-Shopify-Shop-Api-Call-Limit: 38/40` → true when the next call would overflow the bucket.
bool BucketNearlyFull(const std::optional<std::string>& header) {
    if (!header) return false;
    const auto slash = header->find('/');
    if (slash == std::string::npos) return false;
    try {
        const int used = std::stoi(header->substr(0, slash));
        const int capacity = std::stoi(header->substr(slash + 1));
        return used >= capacity - 2;
    } catch (const std::exception&) {
        return false;  // unreadable: ProviderClient still retries a 429 with its Retry-After
    }
}

/// `updated_since` goes into a search query and a URL: only an ISO 8601 timestamp is accepted.
void CheckSince(const std::string& since) {
    if (since.empty()) return;
    const bool plain = std::all_of(since.begin(), since.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == '-' || c == ':' || c == '.' || c == '+' || c == 'T' || c == 'Z';
    });
    if (!plain || !ParseTimestamp(since)) throw ValidationError("updated_since", "is not an ISO 8601 timestamp");
}

}  // namespace

std::string ShopifyStore::AdminUrl(const std::string& path) const {
    const ProviderConfig& config = client_.config();
    // The shop's own Admin API host, https://<shop>.myshopify.com; only the operator's override (test servers,
    // proxies) replaces it. The domain is checked again here: no value that is not a myshopify.com host, from
    // whatever source, becomes the origin the access token is sent to.
    std::string origin;
    if (config.HasBaseUrlOverride()) {
        origin = config.BaseUrl("");
    } else {
        const std::string domain = config.Required("shop_domain");
        if (!IsShopifyShopDomain(domain))
            client_.Fail(ProviderError::Kind::kMisconfigured, "shop_domain is not a <shop>.myshopify.com domain");
        origin = "https://" + domain;
    }
    return origin + "/admin/api/" + config.Get("api_version", kDefaultApiVersion) + path;
}

egress::OutboundResponse ShopifyStore::Exchange(egress::OutboundRequest request) const {
    request.headers.emplace_back("X-Shopify-Access-Token", client_.config().Required("access_token"));
    request.headers.emplace_back("Accept", "application/json");
    const std::string method = request.method;
    const std::string url = request.url.substr(0, request.url.find('?'));
    // Every call here is a read (GraphQL queries included), so ProviderClient may repeat it.
    egress::OutboundResponse response = client_.Send(std::move(request), true);
    if (const auto reason = response.Header("X-Shopify-API-Deprecated-Reason"))
        log::Warn("shopify call is deprecated", {{"provider", client_.provider()},
                                                 {"integration_id", client_.config().id().str()},
                                                 {"method", method},
                                                 {"url", url},
                                                 {"reason", *reason}});
    if (!IsSuccess(response.status)) client_.FailWith(response, RestErrorMessage(response.body));
    if (BucketNearlyFull(response.Header("X-Shopify-Shop-Api-Call-Limit")))
        std::this_thread::sleep_for(kLeakyBucketRest);
    return response;
}

void ShopifyStore::RememberThrottle(const json& answer) {
    const auto cost = json::json_pointer("/extensions/cost");
    const auto status = cost / "throttleStatus";
    if (!answer.contains(status)) return;
    ThrottleStatus seen;
    seen.requested_cost = NumberAt(answer, cost / "requestedQueryCost", 0);
    seen.currently_available = NumberAt(answer, status / "currentlyAvailable", 0);
    seen.maximum_available = NumberAt(answer, status / "maximumAvailable", 0);
    seen.restore_rate = NumberAt(answer, status / "restoreRate", 0);
    seen.seen_at = std::chrono::steady_clock::now();
    throttle_ = seen;
}

/// Sleeps until the bucket, refilled since the last answer, holds the points the next query (assumed to cost what
/// the last one requested) will ask for: cheaper than being throttled and retrying.
void ShopifyStore::WaitForPoints() const {
    if (!throttle_ || throttle_->restore_rate <= 0) return;
    const duration<double> elapsed = std::chrono::steady_clock::now() - throttle_->seen_at;
    double available = throttle_->currently_available + elapsed.count() * throttle_->restore_rate;
    if (throttle_->maximum_available > 0) available = std::min(available, throttle_->maximum_available);
    if (available >= throttle_->requested_cost) return;
    const duration<double> wait =
        std::min(duration<double>((throttle_->requested_cost - available) / throttle_->restore_rate), kMaxThrottleWait);
    std::this_thread::sleep_for(std::chrono::duration_cast<milliseconds>(wait));
}

json ShopifyStore::GraphQl(const std::string& query, const json& variables) {
    const std::string body = json{{"query", query}, {"variables", variables}}.dump();
    for (int retries = 0;; ++retries) {
        WaitForPoints();
        egress::OutboundRequest request;
        request.method = "POST";
        request.url = AdminUrl("/graphql.json");
        request.headers = {{"Content-Type", "application/json"}};
        request.body = body;
        json answer = client_.ParseJson(Exchange(std::move(request)));
        if (!answer.is_object()) client_.Fail(ProviderError::Kind::kMalformed, "the GraphQL answer is not an object");
        RememberThrottle(answer);
        if (!HasErrors(answer)) return answer;
        const json& errors = answer.at("errors");
        if (!IsThrottled(errors)) client_.Fail(ProviderError::Kind::kRejected, "GraphQL errors: " + ErrorsText(errors));
        if (retries >= kMaxThrottleRetries)
            client_.Fail(ProviderError::Kind::kRateLimited, "GraphQL queries are still throttled after " +
                                                                std::to_string(kMaxThrottleRetries) + " retries");
        std::this_thread::sleep_for(ThrottleWait(answer));
    }
}

CommerceProduct ShopifyStore::ProductOf(const json& node) const {
    CommerceProduct product;
    product.external_id = StringField(node, "id");
    product.title = StringField(node, "title");
    product.description = StringField(node, "description");
    product.status = StringField(node, "status");
    product.updated_at = StringField(node, "updatedAt");
    const auto variants = json::json_pointer("/variants/nodes");
    if (node.contains(variants) && node.at(variants).is_array()) {
        for (const auto& item : node.at(variants)) {
            CommerceVariant variant;
            variant.external_id = StringField(item, "id");
            variant.sku = StringField(item, "sku");
            variant.title = StringField(item, "title");
            // Unreadable or absent: -1, which ApplyProducts reports as this item's error (as for REST bodies).
            variant.price = item.contains("price") ? MoneyToMinor(item.at("price")).value_or(-1) : -1;
            product.variants.push_back(std::move(variant));
        }
    }
    return product;
}

void ShopifyStore::TestConnection() {
    const json answer = GraphQl(kConnectionQuery, json::object());
    if (!answer.contains("data") || !answer.at("data").is_object())
        client_.Fail(ProviderError::Kind::kMalformed, "the GraphQL answer has no data");
}

CommercePage<CommerceProduct> ShopifyStore::Products(const std::optional<std::string>& cursor,
                                                     const std::string& updated_since) {
    CheckSince(updated_since);
    const json variables = {
        {"first", kProductPageSize},
        {"after", cursor ? json(*cursor) : json(nullptr)},
        {"query", updated_since.empty() ? json(nullptr) : json("updated_at:>='" + updated_since + "'")}};
    const json answer = GraphQl(kProductsQuery, variables);
    const auto products = json::json_pointer("/data/products");
    if (!answer.contains(products) || !answer.at(products).is_object() || !answer.at(products).contains("nodes") ||
        !answer.at(products).at("nodes").is_array())
        client_.Fail(ProviderError::Kind::kMalformed, "the answer has no products");
    const json& connection = answer.at(products);
    CommercePage<CommerceProduct> page;
    for (const auto& node : connection.at("nodes")) page.items.push_back(ProductOf(node));
    const auto has_next = json::json_pointer("/pageInfo/hasNextPage");
    const auto end_cursor = json::json_pointer("/pageInfo/endCursor");
    if (connection.contains(has_next) && connection.at(has_next).is_boolean() && connection.at(has_next).get<bool>() &&
        connection.contains(end_cursor) && connection.at(end_cursor).is_string())
        page.next_cursor = connection.at(end_cursor).get<std::string>();
    return page;
}

CommercePage<CommerceOrder> ShopifyStore::Orders(const std::optional<std::string>& cursor,
                                                 const std::string& updated_since) {
    CheckSince(updated_since);
    // With page_info Shopify refuses every filter (they are carried in the cursor): limit is the only companion.
    std::string query = "limit=" + std::to_string(kOrderPageSize);
    if (cursor) {
        query += "&page_info=" + PercentEncode(*cursor);
    } else {
        query = "status=any&" + query;
        if (!updated_since.empty()) query += "&updated_at_min=" + PercentEncode(updated_since);
    }
    egress::OutboundRequest request;
    request.url = AdminUrl("/orders.json?" + query);
    const egress::OutboundResponse response = Exchange(std::move(request));
    const json answer = client_.ParseJson(response);
    if (!answer.is_object() || !answer.contains("orders") || !answer.at("orders").is_array())
        client_.Fail(ProviderError::Kind::kMalformed, "the answer has no orders");
    CommercePage<CommerceOrder> page;
    for (const auto& order : answer.at("orders")) page.items.push_back(OrderFromRest(order));
    page.next_cursor = NextPageInfo(response.Header("Link"));
    return page;
}

}  // namespace kiln::integrations
