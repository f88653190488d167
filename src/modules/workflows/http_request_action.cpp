#include <algorithm>
#include <cctype>

#include "core/strings.hpp"
#include "egress/outbound_client.hpp"
#include "modules/workflows/builtin_actions.hpp"
#include "modules/workflows/templates.hpp"
#include "observability/url_origin.hpp"

namespace kiln::workflows {

namespace {

constexpr int64_t kDefaultTimeoutMs = 10000;
constexpr size_t kShownResponseBytes = 512;

bool IsTokenChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// Header names the client sets itself: letting a rule set them would break the framing.
bool IsReservedHeader(const std::string& header) {
    const std::string name = strings::ToLower(header);
    return name == "host" || name == "content-length" || name == "transfer-encoding" || name == "connection";
}

/// Checked when the rule is saved and again after the event's values are quoted in, since quoted
/// data could otherwise smuggle a line break into the request.
std::optional<std::string> HeaderProblem(const std::string& name, const nlohmann::json& value) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar)) return "is not a valid header name";
    if (IsReservedHeader(name)) return "is set by Kiln and cannot be given";
    if (!value.is_string()) return "must be a string";
    if (value.get_ref<const std::string&>().find_first_of("\r\n") != std::string::npos)
        return "must not contain line breaks";
    return std::nullopt;
}

void CheckParams(const egress::OutboundClient& client, const nlohmann::json& params, const std::string& where,
                 std::vector<FieldError>& errors) {
    // Placeholders may only quote into the path or query (where their values are percent-encoded):
    // the event's data must never choose the scheme, host or port. With them left empty, the rest
    // must already pass the outbound guard.
    if (HasPlaceholderBeforePath(params.at("url"))) {
        errors.push_back({where + ".url", "may quote the event only after the host: in the path or the query"});
        return;
    }
    const std::string url = RenderTemplate(params.at("url"), nlohmann::json::object());
    try {
        client.CheckUrl(url, egress::Trust::kTenant);  // a tenant's URL
    } catch (const egress::EgressError& e) {
        errors.push_back({where + ".url", e.what()});
    }
    const nlohmann::json headers = params.value("headers", nlohmann::json::object());
    for (const auto& [name, value] : headers.items())
        if (const auto problem = HeaderProblem(name, value))
            errors.push_back({std::string(where).append(".headers.").append(name), *problem});
}

std::string Shown(const std::string& body) {
    if (body.size() <= kShownResponseBytes) return body;
    // Cut at a character boundary: the log is JSON and PostgreSQL refuses broken UTF-8.
    size_t end = kShownResponseBytes;
    while (end > 0 && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) --end;
    return body.substr(0, end);
}

nlohmann::json Send(const egress::OutboundClient& client, const ActionRun& run) {
    egress::OutboundRequest request;
    request.purpose = "workflow";
    request.method = run.params.value("method", "POST");
    request.url = run.params.at("url");
    request.timeout = std::chrono::milliseconds(run.params.value("timeout_ms", kDefaultTimeoutMs));
    const nlohmann::json headers = run.params.value("headers", nlohmann::json::object());
    for (const auto& [name, value] : headers.items()) {
        if (const auto problem = HeaderProblem(name, value))
            throw std::runtime_error("header " + name + " " + *problem);
        request.headers.emplace_back(name, value.get<std::string>());
    }
    if (request.method != "GET" && request.method != "DELETE") {
        // Without a body of its own the request carries the event, as a webhook would.
        request.body = run.params.contains("body") ? run.params["body"].dump() : run.event.ToJson().dump();
        const bool typed = std::any_of(request.headers.begin(), request.headers.end(),
                                       [](const auto& h) { return strings::ToLower(h.first) == "content-type"; });
        if (!typed) request.headers.emplace_back("Content-Type", "application/json");
    }
    request.headers.emplace_back("Idempotency-Key", run.idempotency_key);
    const auto origin = observability::OriginOf(request.url);
    const auto response = client.Send(request, egress::Trust::kTenant);  // a tenant's URL
    nlohmann::json result = {{"status", response.status},
                             {"latency_ms", static_cast<double>(response.latency.count()) / 1000.0},
                             {"response", Shown(response.body)}};
    if (response.status < 200 || response.status >= 300)
        // The origin only: the message reaches the job's span, and a path may hold a secret.
        throw std::runtime_error("HTTP " + std::to_string(response.status) + " from " +
                                 (origin ? origin->ToString() : std::string("the target")));
    return result;
}

}  // namespace

ActionType HttpRequestAction(const egress::OutboundClient& client) {
    return {.name = "http_request",
            .description =
                "One HTTP request through Kiln's outbound guard (https; internal addresses refused). "
                "Only a 2xx answer succeeds. Without `body`, POST/PUT/PATCH send the event as JSON. "
                "Strings may quote the event: {{data.invoice.id}} (in the URL only in the path or query, "
                "percent-encoded). Header values are secrets: stored sealed and shown as ********; send "
                "******** back to keep a stored value.",
            .params = http::Schema::Object()
                          .Required("url", http::Schema::String().MinLength(1).MaxLength(2000))
                          .Field("method", http::Schema::String().Enum({"GET", "POST", "PUT", "PATCH", "DELETE"}))
                          .Field("headers", http::Schema::Object().AnyProperties().Description(
                                                "Header name → value; values may quote the event. Secret: shown "
                                                "as ********, which keeps the stored value when sent back"))
                          .Field("body", http::Schema::Any().Description("Any JSON; sent as application/json"))
                          .Field("timeout_ms", http::Schema::Integer().Minimum(100).Maximum(30000)),
            .check = [&client](const db::TenantScope&, const nlohmann::json& params, const std::string& where,
                               std::vector<FieldError>& errors) { CheckParams(client, params, where, errors); },
            .run = [&client](const ActionRun& run) { return Send(client, run); },
            // Header values are credentials (X-API-Key, Authorization): sealed, and masked when shown.
            .secret_params = {"headers"},
            .url_params = {"url"}};
}

}  // namespace kiln::workflows
