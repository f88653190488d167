#include "fake_shopify.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

namespace kiln::testing {

namespace fu = fakeutil;
using nlohmann::json;

namespace {

/// Nesting limit for request JSON: deeper bodies are treated as malformed.
constexpr size_t kMaxJsonDepth = 100;

constexpr const char* kInvalidToken = "[API] Invalid API key or access token (unrecognized login or wrong password)";
constexpr const char* kPaginationHelp = "See https://shopify.dev/api/usage/pagination-rest for more information.";

/// Strict non-negative decimal integer (at most 18 digits).
std::optional<int64_t> ParseInt(const std::string& text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    int64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

/// The numeric tail of gid://shopify/<type>/<digits>.
std::optional<int64_t> GidNumber(const std::string& gid, const std::string& type) {
    const std::string prefix = "gid://shopify/" + type + "/";
    if (!gid.starts_with(prefix)) return std::nullopt;
    return ParseInt(gid.substr(prefix.size()));
}

/// Strips spaces and tabs only (unlike fakeutil::Trim, which also strips CR and LF).
std::string TrimSpacesAndTabs(const std::string& text) {
    const auto begin = text.find_first_not_of(" \t");
    if (begin == std::string::npos) return "";
    const auto end = text.find_last_not_of(" \t");
    return text.substr(begin, end - begin + 1);
}

bool IsNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}
bool IsBlank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// GraphQL text is scanned by hand, not with std::regex: libstdc++'s regex recurses per character and would
// overflow the stack on a long hostile query.

/// Index just past a quoted string starting at `pos` (GraphQL "…" or """…"""), or npos when unterminated.
size_t SkipString(const std::string& text, size_t pos) {
    if (text.compare(pos, 3, "\"\"\"") == 0) {
        const size_t end = text.find("\"\"\"", pos + 3);
        return end == std::string::npos ? end : end + 3;
    }
    for (++pos; pos < text.size(); ++pos) {
        if (text[pos] == '\\')
            ++pos;
        else if (text[pos] == '"')
            return pos + 1;
    }
    return std::string::npos;
}

/// The text between the parentheses of the first `products(` call, honouring string literals.
std::optional<std::string> ProductsArguments(const std::string& query) {
    size_t open = std::string::npos;
    for (size_t at = query.find("products"); at != std::string::npos; at = query.find("products", at + 1)) {
        if (at > 0 && IsNameChar(query[at - 1])) continue;
        size_t pos = at + 8;
        while (pos < query.size() && IsBlank(query[pos])) ++pos;
        if (pos < query.size() && query[pos] == '(') {
            open = pos + 1;
            break;
        }
    }
    if (open == std::string::npos) return std::nullopt;
    int depth = 1;
    for (size_t pos = open; pos < query.size();) {
        const char c = query[pos];
        if (c == '"') {
            pos = SkipString(query, pos);
            if (pos == std::string::npos) return std::nullopt;
            continue;
        }
        if (c == '(') ++depth;
        if (c == ')' && --depth == 0) return query.substr(open, pos - open);
        ++pos;
    }
    return std::nullopt;
}

/// Top-level `name: value` pairs of an argument list, values as raw text. Stops at anything unexpected.
std::map<std::string, std::string> TopLevelArguments(const std::string& arguments) {
    std::map<std::string, std::string> out;
    size_t pos = 0;
    const auto skip = [&] {
        while (pos < arguments.size() && (IsBlank(arguments[pos]) || arguments[pos] == ',')) ++pos;
    };
    while (true) {
        skip();
        const size_t name_start = pos;
        while (pos < arguments.size() && IsNameChar(arguments[pos])) ++pos;
        if (pos == name_start) return out;
        const std::string name = arguments.substr(name_start, pos - name_start);
        skip();
        if (pos >= arguments.size() || arguments[pos] != ':') return out;
        ++pos;
        skip();
        const size_t value_start = pos;
        if (pos < arguments.size() && arguments[pos] == '"') {
            pos = SkipString(arguments, pos);
            if (pos == std::string::npos) return out;
        } else if (pos < arguments.size() && (arguments[pos] == '[' || arguments[pos] == '{')) {
            int depth = 0;
            while (pos < arguments.size()) {
                const char c = arguments[pos];
                if (c == '"') {
                    pos = SkipString(arguments, pos);
                    if (pos == std::string::npos) return out;
                    continue;
                }
                if (c == '[' || c == '{') ++depth;
                if ((c == ']' || c == '}') && --depth == 0) {
                    ++pos;
                    break;
                }
                ++pos;
            }
        } else {
            while (pos < arguments.size() && !IsBlank(arguments[pos]) && arguments[pos] != ',') ++pos;
        }
        out.emplace(name, arguments.substr(value_start, pos - value_start));
    }
}

/// Resolves argument `name` of products(...): inline literal, `$variable`, or variables[name] when absent.
/// Returns a JSON value; a discarded value means "a literal the fake cannot read" (reported as invalid).
json ArgumentValue(const std::map<std::string, std::string>& arguments, const std::string& name,
                   const json& variables) {
    const auto lookup = [&](const std::string& key) {
        return variables.is_object() && variables.contains(key) ? variables[key] : json(nullptr);
    };
    const auto it = arguments.find(name);
    if (it == arguments.end()) return lookup(name);
    const std::string& raw = it->second;
    if (!raw.empty() && raw[0] == '$') return lookup(raw.substr(1));
    return fu::ParseJson(raw, kMaxJsonDepth).value_or(json(json::value_t::discarded));
}

struct TimeFilter {
    std::string op;
    double value = 0;
};

/// `updated_at:>'2025-01-01T00:00:00Z'`, `updated_at:>=2025-01-01`, …; other terms ignored.
std::vector<TimeFilter> UpdatedAtFilters(const std::string& search) {
    std::vector<TimeFilter> filters;
    for (size_t at = search.find("updated_at"); at != std::string::npos; at = search.find("updated_at", at + 1)) {
        if (at > 0 && IsNameChar(search[at - 1])) continue;
        size_t pos = at + 10;
        while (pos < search.size() && IsBlank(search[pos])) ++pos;
        if (pos >= search.size() || search[pos] != ':') continue;
        ++pos;
        while (pos < search.size() && IsBlank(search[pos])) ++pos;
        std::string op;
        if (search.compare(pos, 2, ">=") == 0 || search.compare(pos, 2, "<=") == 0)
            op = search.substr(pos, 2);
        else if (pos < search.size() && (search[pos] == '>' || search[pos] == '<'))
            op = search.substr(pos, 1);
        else
            continue;
        pos += op.size();
        while (pos < search.size() && IsBlank(search[pos])) ++pos;
        std::string value;
        if (pos < search.size() && (search[pos] == '\'' || search[pos] == '"')) {
            const size_t end = search.find(search[pos], pos + 1);
            if (end == std::string::npos) continue;
            value = search.substr(pos + 1, end - pos - 1);
        } else {
            const size_t start = pos;
            while (pos < search.size() && !IsBlank(search[pos]) && search[pos] != '(' && search[pos] != ')') ++pos;
            value = search.substr(start, pos - start);
        }
        if (const auto parsed = fu::ParseIso8601(value)) filters.push_back({op, *parsed});
    }
    return filters;
}

bool Passes(const std::vector<TimeFilter>& filters, double updated) {
    for (const auto& f : filters) {
        if (f.op == ">" && !(updated > f.value)) return false;
        if (f.op == ">=" && !(updated >= f.value)) return false;
        if (f.op == "<" && !(updated < f.value)) return false;
        if (f.op == "<=" && !(updated <= f.value)) return false;
    }
    return true;
}

json GraphqlError(const std::string& message, const std::string& code = "") {
    json error = {{"message", message}, {"locations", json::array()}, {"path", json::array({"products"})}};
    if (!code.empty()) error["extensions"] = {{"code", code}};
    return json{{"errors", json::array({error})}};
}

}  // namespace

FakeShopify::FakeShopify(std::string access_token, std::string api_version)
    : access_token_(std::move(access_token)), api_version_(std::move(api_version)) {
    Start();
}

FakeShopify::~FakeShopify() {
    Stop();
}

void FakeShopify::AddProduct(Product product) {
    const auto id = GidNumber(product.gid, "Product");
    if (!id) throw std::invalid_argument("FakeShopify::AddProduct: gid must be gid://shopify/Product/<digits>");
    const auto updated = fu::ParseIso8601(product.updated_at);
    if (!updated) throw std::invalid_argument("FakeShopify::AddProduct: updated_at must be ISO 8601");
    const std::lock_guard lock(mutex_);
    std::erase_if(products_, [&](const StoredProduct& p) { return p.id == *id; });
    products_.push_back({std::move(product), *id, *updated});
    std::sort(products_.begin(), products_.end(), [](const StoredProduct& a, const StoredProduct& b) {
        return std::pair(a.updated, a.id) < std::pair(b.updated, b.id);
    });
}

void FakeShopify::AddOrder(json order) {
    if (!order.is_object() || !order.contains("id") || !order["id"].is_number_integer())
        throw std::invalid_argument("FakeShopify::AddOrder: the order needs an integer \"id\"");
    for (const char* key : {"created_at", "updated_at"})
        if (order.contains(key) && !(order[key].is_string() && fu::ParseIso8601(order[key].get<std::string>())))
            throw std::invalid_argument(std::string("FakeShopify::AddOrder: ") + key + " must be an ISO 8601 string");
    const int64_t id = order["id"].get<int64_t>();
    const std::lock_guard lock(mutex_);
    std::erase_if(orders_, [&](const StoredOrder& o) { return o.id == id; });
    orders_.push_back({std::move(order), id});
    std::sort(orders_.begin(), orders_.end(), [](const StoredOrder& a, const StoredOrder& b) { return a.id < b.id; });
}

void FakeShopify::SetThrottle(double maximum, double restore_per_second) {
    const std::lock_guard lock(mutex_);
    gql_maximum_ = maximum;
    gql_restore_ = restore_per_second;
    gql_available_ = maximum;
    gql_updated_ = std::chrono::steady_clock::now();
}

void FakeShopify::SetRestBucket(int size, double leak_per_second) {
    const std::lock_guard lock(mutex_);
    rest_size_ = std::max(1, size);
    rest_leak_ = leak_per_second;
    rest_used_ = 0;
    rest_updated_ = std::chrono::steady_clock::now();
}

int FakeShopify::throttled_count() const {
    const std::lock_guard lock(mutex_);
    return throttled_;
}

int FakeShopify::rate_limited_count() const {
    const std::lock_guard lock(mutex_);
    return rate_limited_;
}

std::string FakeShopify::WebhookHmac(const std::string& client_secret, const std::string& body) {
    return fu::Base64Encode(fu::HmacSha256(client_secret, body));
}

Reply FakeShopify::Reject(const std::string& violation, Reply reply) {
    RecordViolation(violation);
    return reply;
}

Reply FakeShopify::Handle(const ReceivedRequest& request) {
    const std::string label = fu::RequestLabel(request);
    const auto [path, query] = fu::SplitTarget(request.target);
    const json not_found = {{"errors", "Not Found"}};
    static const std::string kPrefix = "/admin/api/";
    if (!path.starts_with(kPrefix))
        return Reject(label + ": no such Shopify Admin API path", fu::JsonUtf8Reply(404, not_found));

    const auto token = request.Header("X-Shopify-Access-Token");
    if (!token || *token != access_token_)
        return Reject(label + ": " + (token ? "wrong" : "missing") + " X-Shopify-Access-Token",
                      fu::JsonUtf8Reply(401, {{"errors", kInvalidToken}}));

    const std::string rest = path.substr(kPrefix.size());
    const auto slash = rest.find('/');
    const std::string version = rest.substr(0, slash);
    const std::string resource = slash == std::string::npos ? "" : rest.substr(slash + 1);
    if (version != api_version_)
        return Reject(label + ": API version '" + version + "' is not the shop's pinned '" + api_version_ + "'",
                      fu::JsonUtf8Reply(404, not_found));

    if (resource == "graphql.json") {
        if (request.method != "POST")
            return Reject(label + ": the GraphQL endpoint takes POST", fu::JsonUtf8Reply(404, not_found));
        return HandleGraphql(request, label);
    }
    if (resource == "orders.json") {
        if (request.method != "GET")
            return Reject(label + ": the fake serves only GET orders.json", fu::JsonUtf8Reply(404, not_found));
        return HandleOrders(query, label);
    }
    return Reject(label + ": unknown resource '" + resource + "' (the fake serves graphql.json and orders.json)",
                  fu::JsonUtf8Reply(404, not_found));
}

Reply FakeShopify::HandleGraphql(const ReceivedRequest& request, const std::string& label) {
    const json missing_query = {{"errors", {{"query", "Required parameter missing or invalid"}}}};
    const std::string content_type = fu::ToLower(request.Header("Content-Type").value_or(""));
    if (!content_type.starts_with("application/json"))
        return Reject(label + ": Content-Type must be application/json, got '" + content_type + "'",
                      fu::JsonUtf8Reply(400, missing_query));
    const json body = fu::ParseJson(request.body, kMaxJsonDepth).value_or(json());
    if (!body.is_object()) return Reject(label + ": body is not a JSON object", fu::JsonUtf8Reply(400, missing_query));
    if (!body.contains("query") || !body["query"].is_string() || body["query"].get<std::string>().empty())
        return Reject(label + ": body lacks a string \"query\"", fu::JsonUtf8Reply(400, missing_query));
    const json variables = body.contains("variables") ? body["variables"] : json(nullptr);
    if (!variables.is_null() && !variables.is_object())
        return Reject(label + ": \"variables\" must be an object",
                      fu::JsonUtf8Reply(400, {{"errors", {{"variables", "must be a JSON object"}}}}));
    const std::string query = body["query"].get<std::string>();

    const size_t first_token = query.find_first_not_of(" \t\r\n");
    const bool mutation = first_token != std::string::npos && query.compare(first_token, 8, "mutation") == 0;
    const auto products_arguments = ProductsArguments(query);
    if (mutation || !products_arguments)
        return Reject(label + ": the fake answers only the products(...) query",
                      fu::JsonUtf8Reply(200, GraphqlError("FakeShopify supports only the products query")));

    const auto arguments = TopLevelArguments(*products_arguments);
    const json first = ArgumentValue(arguments, "first", variables);
    const json after = ArgumentValue(arguments, "after", variables);
    const json search = ArgumentValue(arguments, "query", variables);
    if (first.is_null())
        return Reject(label + ": products needs `first`",
                      fu::JsonUtf8Reply(200, GraphqlError("you must provide one of first or last")));
    if (!first.is_number_integer())
        return Reject(
            label + ": `first` is not an Int: " + fu::Brief(first),
            fu::JsonUtf8Reply(200, GraphqlError("Argument 'first' on Field 'products' has an invalid value (" +
                                                    fu::Brief(first) + "). Expected type 'Int'.",
                                                "argumentLiteralsIncompatible")));
    const int64_t count = first.get<int64_t>();
    if (count < 1 || count > 250)
        return Reject(label + ": `first` " + std::to_string(count) + " outside 1..250",
                      fu::JsonUtf8Reply(200, GraphqlError("The maximum number of items that can be requested is 250, "
                                                          "and `first` must be at least 1.")));
    if (!after.is_null() && !after.is_string())
        return Reject(label + ": `after` is not a String",
                      fu::JsonUtf8Reply(200, GraphqlError("Argument 'after' on Field 'products' has an invalid value. "
                                                          "Expected type 'String'.",
                                                          "argumentLiteralsIncompatible")));
    if (!search.is_null() && !search.is_string())
        return Reject(label + ": `query` is not a String",
                      fu::JsonUtf8Reply(200, GraphqlError("Argument 'query' on Field 'products' has an invalid value. "
                                                          "Expected type 'String'.",
                                                          "argumentLiteralsIncompatible")));

    // The cursor position: strictly after (last_value, last_id).
    std::optional<std::pair<double, int64_t>> start_after;
    if (after.is_string()) {
        const auto decoded = fu::Base64DecodeCanonical(after.get<std::string>());
        const json cursor = decoded ? fu::ParseJson(*decoded, kMaxJsonDepth).value_or(json()) : json();
        std::optional<double> value;
        if (cursor.is_object() && cursor.contains("last_id") && cursor["last_id"].is_number_integer() &&
            cursor.contains("last_value") && cursor["last_value"].is_string())
            value = fu::ParseIso8601(cursor["last_value"].get<std::string>());
        if (!value)
            return Reject(label + ": `after` is not a cursor this API issued",
                          fu::JsonUtf8Reply(200, GraphqlError("Invalid cursor for current pagination sort.")));
        start_after = std::pair(*value, cursor["last_id"].get<int64_t>());
    }

    // Cost: first + 2 points from the bucket, refilled at the restore rate.
    const double requested = static_cast<double>(count) + 2;
    const auto now = std::chrono::steady_clock::now();
    gql_available_ = std::min(
        gql_maximum_, gql_available_ + std::chrono::duration<double>(now - gql_updated_).count() * gql_restore_);
    gql_updated_ = now;
    const auto cost = [&](json actual) {
        return json{{"requestedQueryCost", static_cast<int64_t>(requested)},
                    {"actualQueryCost", std::move(actual)},
                    {"throttleStatus",
                     {{"maximumAvailable", gql_maximum_},
                      {"currentlyAvailable", std::floor(gql_available_)},
                      {"restoreRate", gql_restore_}}}};
    };
    if (requested > gql_maximum_) {
        json error = GraphqlError("Query cost is " + std::to_string(static_cast<int64_t>(requested)) +
                                      ", which exceeds the single query max cost limit (" +
                                      std::to_string(static_cast<int64_t>(gql_maximum_)) + ").",
                                  "MAX_COST_EXCEEDED");
        error["extensions"] = {{"cost", cost(nullptr)}};
        return Reject(label + ": query cost exceeds the bucket size", fu::JsonUtf8Reply(200, error));
    }
    if (gql_available_ < requested) {
        ++throttled_;
        return fu::JsonUtf8Reply(
            200, {{"errors", json::array({{{"message", "Throttled"},
                                           {"extensions",
                                            {{"code", "THROTTLED"},
                                             {"documentation", "https://shopify.dev/api/usage/rate-limits"}}}}})},
                  {"extensions", {{"cost", cost(nullptr)}}}});
    }
    gql_available_ -= requested;

    const auto filters = search.is_string() ? UpdatedAtFilters(search.get<std::string>()) : std::vector<TimeFilter>{};
    json nodes = json::array();
    bool has_next = false;
    std::optional<json> end_cursor;
    for (const auto& stored : products_) {  // kept sorted by (updated, id)
        if (!Passes(filters, stored.updated)) continue;
        if (start_after && !(std::pair(stored.updated, stored.id) > *start_after)) continue;
        if (static_cast<int64_t>(nodes.size()) == count) {
            has_next = true;
            break;
        }
        const Product& p = stored.product;
        json variants = json::array();
        for (const auto& v : p.variants)
            variants.push_back({{"id", v.gid}, {"sku", v.sku}, {"price", v.price}, {"title", v.title}});
        const std::string updated_at = fu::FormatIso8601(stored.updated);
        nodes.push_back({{"id", p.gid},
                         {"title", p.title},
                         {"handle", p.handle},
                         {"status", p.status},
                         {"updatedAt", updated_at},
                         {"description", p.description},
                         {"variants", {{"nodes", variants}}}});
        end_cursor = fu::Base64Encode(fu::Dump({{"last_id", stored.id}, {"last_value", updated_at}}));
    }
    return fu::JsonUtf8Reply(
        200, {{"data",
               {{"products",
                 {{"pageInfo", {{"hasNextPage", has_next}, {"endCursor", end_cursor ? *end_cursor : json(nullptr)}}},
                  {"nodes", nodes}}}}},
              {"extensions", {{"cost", cost(static_cast<int64_t>(requested))}}}});
}

Reply FakeShopify::HandleOrders(const std::string& query, const std::string& label) {
    // Leaky bucket first: every authenticated REST call counts, valid or not.
    const auto now = std::chrono::steady_clock::now();
    rest_used_ = std::max(0.0, rest_used_ - std::chrono::duration<double>(now - rest_updated_).count() * rest_leak_);
    rest_updated_ = now;
    if (rest_used_ + 1 > rest_size_ + 1e-9) {
        ++rate_limited_;
        return fu::JsonUtf8Reply(
            429,
            {{"errors", "Exceeded " + std::to_string(static_cast<int>(rest_leak_)) +
                            " calls per second for api client. Reduce request rates to resume uninterrupted service."}},
            {{"Retry-After", "1.0"},
             {"X-Shopify-Shop-Api-Call-Limit", std::to_string(rest_size_) + "/" + std::to_string(rest_size_)}});
    }
    rest_used_ += 1;
    const std::vector<std::pair<std::string, std::string>> common = {
        {"X-Shopify-Shop-Api-Call-Limit",
         std::to_string(static_cast<int>(std::ceil(rest_used_ - 1e-9))) + "/" + std::to_string(rest_size_)},
        {"X-Shopify-API-Version", api_version_}};
    const auto reject = [&](const std::string& why, int status, const json& body) {
        return Reject(label + ": " + why, fu::JsonUtf8Reply(status, body, common));
    };

    const auto parsed = fu::ParseForm(query);
    if (!parsed) return reject("malformed query string", 400, {{"errors", "Bad Request"}});
    std::map<std::string, std::string> params;
    for (const auto& [name, value] : *parsed) params[name] = value;  // the last occurrence wins, as in Rails

    int64_t limit = 50;
    if (params.count("limit")) {
        const auto value = ParseInt(params["limit"]);
        if (value && *value > 250)
            return reject("limit " + params["limit"] + " > 250", 400,
                          {{"errors", {{"limit", json::array({"must be ≤ 250"})}}}});
        if (!value || *value < 1)
            return reject("limit '" + params["limit"] + "' is not an integer in 1..250", 400,
                          {{"errors", {{"limit", json::array({"must be an integer between 1 and 250"})}}}});
        limit = *value;
    }
    std::string fields;
    if (params.count("fields")) fields = params["fields"];

    json filters = json::object();
    std::string direction;  // "", "next" or "prev"
    int64_t anchor = 0;
    if (params.count("page_info")) {
        for (const auto& [name, value] : params)
            if (name != "page_info" && name != "limit" && name != "fields")
                return reject("'" + name + "' sent together with page_info", 400,
                              {{"errors", name + " cannot be passed when page_info is present. " + kPaginationHelp}});
        const auto decoded = fu::Base64UrlDecode(params["page_info"]);
        const json info = decoded ? fu::ParseJson(*decoded, kMaxJsonDepth).value_or(json()) : json();
        if (!info.is_object() || !info.contains("f") || !info["f"].is_object() || !info.contains("d") ||
            !info["d"].is_string() || !info.contains("id") || !info["id"].is_number_integer() ||
            (info["d"] != "next" && info["d"] != "prev"))
            return reject("page_info is not one this API issued", 400, {{"errors", {{"page_info", "Invalid value."}}}});
        filters = info["f"];
        direction = info["d"].get<std::string>();
        anchor = info["id"].get<int64_t>();
    } else {
        filters["status"] = params.count("status") ? params["status"] : "open";
        static const std::set<std::string> kStatuses = {"open", "closed", "cancelled", "any"};
        if (!kStatuses.count(filters["status"].get<std::string>()))
            return reject("status '" + params["status"] + "' is not open|closed|cancelled|any", 400,
                          {{"errors", {{"status", json::array({"is not included in the list"})}}}});
        for (const char* key : {"created_at_min", "created_at_max", "updated_at_min", "updated_at_max"}) {
            if (!params.count(key)) continue;
            const auto value = fu::ParseIso8601(params[key]);
            if (!value)
                return reject(std::string(key) + " '" + params[key] + "' is not ISO 8601", 400,
                              {{"errors", {{key, json::array({"is invalid"})}}}});
            filters[key] = *value;
        }
        if (params.count("since_id")) {
            const auto value = ParseInt(params["since_id"]);
            if (!value)
                return reject("since_id '" + params["since_id"] + "' is not an integer", 400,
                              {{"errors", {{"since_id", json::array({"is invalid"})}}}});
            filters["since_id"] = *value;
        }
        if (params.count("financial_status")) filters["financial_status"] = params["financial_status"];
    }

    const auto time_of = [](const json& order, const char* key) -> std::optional<double> {
        if (!order.contains(key) || !order[key].is_string()) return std::nullopt;
        return fu::ParseIso8601(order[key].get<std::string>());
    };
    const auto matches = [&](const StoredOrder& stored) {
        const json& o = stored.order;
        const std::string status = filters.value("status", "any");
        const bool closed = o.contains("closed_at") && !o["closed_at"].is_null();
        const bool cancelled = o.contains("cancelled_at") && !o["cancelled_at"].is_null();
        if (status == "open" && (closed || cancelled)) return false;
        if (status == "closed" && !closed) return false;
        if (status == "cancelled" && !cancelled) return false;
        for (const auto& [key, field, is_min] :
             {std::tuple{"created_at_min", "created_at", true}, std::tuple{"created_at_max", "created_at", false},
              std::tuple{"updated_at_min", "updated_at", true}, std::tuple{"updated_at_max", "updated_at", false}}) {
            if (!filters.contains(key)) continue;
            const auto t = time_of(o, field);
            const double bound = filters[key].get<double>();
            if (!t || (is_min ? *t < bound : *t > bound)) return false;
        }
        if (filters.contains("since_id") && stored.id <= filters["since_id"].get<int64_t>()) return false;
        if (filters.contains("financial_status")) {
            const std::string wanted = filters["financial_status"].get<std::string>();
            if (wanted != "any" && o.value("financial_status", std::string()) != wanted) return false;
        }
        return true;
    };

    std::vector<const StoredOrder*> all;
    for (const auto& stored : orders_)
        if (matches(stored)) all.push_back(&stored);
    std::vector<const StoredOrder*> page;
    if (direction == "prev") {
        std::vector<const StoredOrder*> before;
        for (const auto* s : all)
            if (s->id < anchor) before.push_back(s);
        const size_t from = before.size() > static_cast<size_t>(limit) ? before.size() - limit : 0;
        page.assign(before.begin() + static_cast<std::ptrdiff_t>(from), before.end());
    } else {
        for (const auto* s : all) {
            if (direction == "next" && s->id <= anchor) continue;
            if (static_cast<int64_t>(page.size()) == limit) break;
            page.push_back(s);
        }
    }

    std::vector<std::string> field_list;
    if (!fields.empty())
        for (const auto& f : fu::Split(fields, ',')) {
            const std::string trimmed = TrimSpacesAndTabs(f);
            if (!trimmed.empty()) field_list.push_back(trimmed);
        }
    json orders = json::array();
    for (const auto* s : page) {
        if (field_list.empty()) {
            orders.push_back(s->order);
            continue;
        }
        json projected = json::object();
        for (const auto& f : field_list)
            if (s->order.contains(f)) projected[f] = s->order[f];
        orders.push_back(projected);
    }

    auto headers = common;
    if (!page.empty()) {
        const int64_t first_id = page.front()->id;
        const int64_t last_id = page.back()->id;
        const bool has_prev = !direction.empty() && std::any_of(all.begin(), all.end(),
                                                                [&](const StoredOrder* s) { return s->id < first_id; });
        const bool has_next =
            std::any_of(all.begin(), all.end(), [&](const StoredOrder* s) { return s->id > last_id; });
        const auto link = [&](const char* dir, int64_t id, const char* rel) {
            const std::string info = fu::Base64UrlEncode(fu::Dump({{"f", filters}, {"d", dir}, {"id", id}}));
            std::string url = base_url() + "/admin/api/" + api_version_ + "/orders.json?limit=" + std::to_string(limit);
            if (!fields.empty()) url += "&fields=" + fu::UriEncode(fields, false);
            return "<" + url + "&page_info=" + info + ">; rel=\"" + rel + "\"";
        };
        std::vector<std::string> links;
        if (has_prev) links.push_back(link("prev", first_id, "previous"));
        if (has_next) links.push_back(link("next", last_id, "next"));
        if (!links.empty()) {
            std::string value = links[0];
            for (size_t i = 1; i < links.size(); ++i) value += ", " + links[i];
            headers.emplace_back("Link", value);
        }
    }
    return fu::JsonUtf8Reply(200, {{"orders", orders}}, headers);
}

}  // namespace kiln::testing
