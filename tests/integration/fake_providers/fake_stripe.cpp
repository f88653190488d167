#include "fake_stripe.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace kiln::testing {

using namespace fakeutil;

namespace {

const std::set<std::string> kIntentParams = {"amount",
                                             "currency",
                                             "application_fee_amount",
                                             "automatic_payment_methods",
                                             "capture_method",
                                             "confirm",
                                             "confirmation_method",
                                             "customer",
                                             "description",
                                             "error_on_requires_action",
                                             "expand",
                                             "mandate",
                                             "mandate_data",
                                             "metadata",
                                             "off_session",
                                             "on_behalf_of",
                                             "payment_method",
                                             "payment_method_configuration",
                                             "payment_method_data",
                                             "payment_method_options",
                                             "payment_method_types",
                                             "radar_options",
                                             "receipt_email",
                                             "return_url",
                                             "setup_future_usage",
                                             "shipping",
                                             "statement_descriptor",
                                             "statement_descriptor_suffix",
                                             "transfer_data",
                                             "transfer_group",
                                             "use_stripe_sdk"};
const std::set<std::string> kRefundParams = {"payment_intent",
                                             "charge",
                                             "amount",
                                             "reason",
                                             "metadata",
                                             "expand",
                                             "instructions_email",
                                             "origin",
                                             "customer",
                                             "refund_application_fee",
                                             "reverse_transfer"};
const std::set<std::string> kRetrieveParams = {"expand", "client_secret"};

bool IsDigits(const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Dollars(int64_t cents) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "$%lld.%02lld", static_cast<long long>(cents / 100),
                  static_cast<long long>(cents % 100));
    return buffer;
}

std::string MaskKey(const std::string& key) {
    if (key.size() <= 8) return "****";
    return key.substr(0, key.find('_', 3) == std::string::npos ? 3 : key.find('_', 3) + 1) + "****" +
           key.substr(key.size() - 4);
}

}  // namespace

FakeStripe::FakeStripe(std::string secret_key) : secret_key_(std::move(secret_key)) {
    Start();
}

FakeStripe::~FakeStripe() {
    Stop();
}

FakeStripe::Outcome FakeStripe::Error(const ReceivedRequest& request, int status, const std::string& type,
                                      const std::string& message, const std::string& param, const std::string& code,
                                      bool store) {
    Violation(request,
              "HTTP " + std::to_string(status) + " " + type + (code.empty() ? "" : "/" + code) + ": " + message);
    nlohmann::json error = {{"type", type}, {"message", message}};
    if (!param.empty()) error["param"] = param;
    if (!code.empty()) {
        error["code"] = code;
        std::string slug = code;
        std::replace(slug.begin(), slug.end(), '_', '-');
        error["doc_url"] = "https://stripe.com/docs/error-codes/" + slug;
    }
    return {JsonReply(status, {{"error", error}}), store};
}

Reply FakeStripe::Handle(const ReceivedRequest& request) {
    const std::string request_id = "req_" + RandomAlnum(14);
    const auto finish = [&](Outcome outcome) {
        outcome.reply.headers.emplace_back("Request-Id", request_id);
        outcome.reply.headers.emplace_back("Stripe-Version", "2024-06-20");
        return outcome.reply;
    };

    // Authentication.
    const auto authorization = request.Header("Authorization");
    if (!authorization || Trim(*authorization).empty()) {
        auto outcome = Error(request, 401, "invalid_request_error",
                             "You did not provide an API key. You need to provide your API key in the Authorization "
                             "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
        outcome.reply.headers.emplace_back("WWW-Authenticate", "Basic realm=\"Stripe\"");
        return finish(outcome);
    }
    {
        const std::string value = Trim(*authorization);
        const size_t space = value.find(' ');
        const std::string scheme = ToLower(value.substr(0, space));
        const std::string credential = space == std::string::npos ? "" : Trim(value.substr(space + 1));
        std::string presented;
        bool ok = false;
        if (scheme == "bearer") {
            presented = credential;
            ok = ConstantTimeEquals(credential, secret_key_);
        } else if (scheme == "basic") {
            const auto decoded = Base64Decode(credential);
            if (decoded) {
                const size_t colon = decoded->find(':');
                presented = decoded->substr(0, colon);
                ok = colon != std::string::npos && ConstantTimeEquals(presented, secret_key_) &&
                     decoded->size() == colon + 1;
            }
        }
        if (!ok) {
            auto outcome =
                Error(request, 401, "invalid_request_error", "Invalid API Key provided: " + MaskKey(presented));
            outcome.reply.headers.emplace_back("WWW-Authenticate", "Basic realm=\"Stripe\"");
            return finish(outcome);
        }
    }

    const auto [path, query] = SplitTarget(request.target);
    const bool is_post = request.method == "POST";

    // Parameters: the form body of a POST, the query string otherwise.
    nlohmann::json params;
    std::string parse_error;
    if (is_post) {
        const std::string media = MediaType(request.Header("Content-Type"));
        if (!request.body.empty() && media != "application/x-www-form-urlencoded") {
            return finish(Error(request, 400, "invalid_request_error",
                                "Invalid request: unsupported Content-Type " +
                                    request.Header("Content-Type").value_or("(none)") +
                                    ". If error persists and you need assistance, please contact support@stripe.com."));
        }
        if (!query.empty())
            return finish(Error(request, 400, "invalid_request_error",
                                "Query parameters are not allowed on POST requests; send them in the form body."));
        if (!ParseBracketForm(request.body, params, parse_error))
            return finish(Error(request, 400, "invalid_request_error", "Invalid request: " + parse_error));
    } else if (!ParseBracketForm(query, params, parse_error)) {
        return finish(Error(request, 400, "invalid_request_error", "Invalid request: " + parse_error));
    }

    // Idempotency.
    const auto idempotency_key = request.Header("Idempotency-Key");
    const std::string endpoint = request.method + " " + path;
    if (is_post) {
        if (!idempotency_key || idempotency_key->empty()) {
            Violation(request, "POST without an Idempotency-Key header (Kiln must send one on every Stripe POST)");
        } else if (idempotency_key->size() > 255) {
            return finish(Error(request, 400, "invalid_request_error",
                                "Keys for idempotent requests can only be 255 characters long and must be at least "
                                "1 character long."));
        } else if (const auto stored = idempotency_.find(*idempotency_key); stored != idempotency_.end()) {
            if (stored->second.endpoint != endpoint) {
                return finish(Error(request, 400, "idempotency_error",
                                    "Keys for idempotent requests can only be used for the same endpoint they were "
                                    "first used for ('" +
                                        stored->second.endpoint + "' vs '" + endpoint +
                                        "'). Try using a key other than '" + *idempotency_key +
                                        "' if you meant to execute a different request."));
            }
            if (stored->second.params != params) {
                return finish(Error(request, 400, "idempotency_error",
                                    "Keys for idempotent requests can only be used with the same parameters they "
                                    "were first used with. Try using a key other than '" +
                                        *idempotency_key + "' if you meant to execute a different request."));
            }
            Reply replay = stored->second.reply;
            replay.headers.emplace_back("Idempotent-Replayed", "true");
            replay.headers.emplace_back("Idempotency-Key", *idempotency_key);
            return finish(Outcome{replay, false});
        }
    }

    const std::vector<std::string> segments = Split(path, '/');  // "", "v1", resource, id...
    Outcome outcome;
    const auto check_retrieve_params = [&]() -> std::optional<Outcome> {
        for (const auto& [key, value] : params.items())
            if (!kRetrieveParams.count(key))
                return Error(request, 400, "invalid_request_error", "Received unknown parameter: " + key, key,
                             "parameter_unknown");
        return std::nullopt;
    };
    if (is_post && path == "/v1/payment_intents") {
        outcome = CreateIntent(request, params);
    } else if (is_post && path == "/v1/refunds") {
        outcome = CreateRefund(request, params);
    } else if (request.method == "GET" && segments.size() == 4 && segments[1] == "v1" &&
               segments[2] == "payment_intents" && !segments[3].empty()) {
        if (auto bad = check_retrieve_params()) return finish(*bad);
        const auto found = intents_.find(segments[3]);
        if (found == intents_.end()) {
            outcome = Error(request, 404, "invalid_request_error", "No such payment_intent: '" + segments[3] + "'",
                            "intent", "resource_missing");
        } else {
            outcome = {JsonReply(200, found->second), false};
        }
    } else if (request.method == "GET" && path == "/v1/balance") {
        // Retrieve balance: what connectivity checks call (any valid secret key may read it).
        if (auto bad = check_retrieve_params()) return finish(*bad);
        outcome = {JsonReply(200, {{"object", "balance"},
                                   {"available", nlohmann::json::array()},
                                   {"pending", nlohmann::json::array()},
                                   {"livemode", false}}),
                   false};
    } else if (request.method == "GET" && segments.size() == 4 && segments[1] == "v1" && segments[2] == "refunds" &&
               !segments[3].empty()) {
        if (auto bad = check_retrieve_params()) return finish(*bad);
        const auto found = std::find_if(refunds_.begin(), refunds_.end(),
                                        [&](const nlohmann::json& r) { return r.value("id", "") == segments[3]; });
        if (found == refunds_.end()) {
            outcome = Error(request, 404, "invalid_request_error", "No such refund: '" + segments[3] + "'", "id",
                            "resource_missing");
        } else {
            outcome = {JsonReply(200, *found), false};
        }
    } else {
        outcome = Error(request, 404, "invalid_request_error",
                        "Unrecognized request URL (" + request.method + ": " + path +
                            "). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.");
    }

    if (is_post && idempotency_key && !idempotency_key->empty() && outcome.store)
        idempotency_[*idempotency_key] = StoredResult{endpoint, params, outcome.reply};
    if (is_post && idempotency_key && !idempotency_key->empty())
        outcome.reply.headers.emplace_back("Idempotency-Key", *idempotency_key);
    return finish(outcome);
}

namespace {

/// Checks `metadata` like Stripe; returns {message, param} of the first problem.
std::optional<std::pair<std::string, std::string>> CheckMetadata(const nlohmann::json& params) {
    if (!params.contains("metadata")) return std::nullopt;
    const auto& metadata = params["metadata"];
    if (metadata.is_string() && metadata.get<std::string>().empty()) return std::nullopt;
    if (!metadata.is_object()) return std::make_pair(std::string("Invalid object"), std::string("metadata"));
    if (metadata.size() > 50)
        return std::make_pair(std::string("Invalid metadata: metadata cannot have more than 50 keys"),
                              std::string("metadata"));
    for (const auto& [key, value] : metadata.items()) {
        if (key.size() > 40)
            return std::make_pair("Invalid metadata: metadata key '" + key + "' is longer than 40 characters",
                                  "metadata[" + key + "]");
        if (!value.is_string())
            return std::make_pair("Invalid metadata: the value of metadata key '" + key + "' must be a string",
                                  "metadata[" + key + "]");
        if (value.get<std::string>().size() > 500)
            return std::make_pair(
                "Invalid metadata: the value of metadata key '" + key + "' is longer than 500 characters",
                "metadata[" + key + "]");
    }
    return std::nullopt;
}

nlohmann::json MetadataObject(const nlohmann::json& params) {
    nlohmann::json metadata = nlohmann::json::object();
    if (params.contains("metadata") && params["metadata"].is_object())
        for (const auto& [key, value] : params["metadata"].items())
            if (value.is_string() && !value.get<std::string>().empty()) metadata[key] = value;
    return metadata;
}

bool IsBoolString(const nlohmann::json& value) {
    return value == "true" || value == "false";
}

}  // namespace

FakeStripe::Outcome FakeStripe::CreateIntent(const ReceivedRequest& request, const nlohmann::json& params) {
    const auto invalid = [&](const std::string& message, const std::string& param, const std::string& code = "") {
        return Error(request, 400, "invalid_request_error", message, param, code);
    };
    for (const auto& [key, value] : params.items())
        if (!kIntentParams.count(key)) return invalid("Received unknown parameter: " + key, key, "parameter_unknown");

    if (!params.contains("amount")) return invalid("Missing required param: amount.", "amount", "parameter_missing");
    const auto& amount_value = params["amount"];
    if (!amount_value.is_string() || !IsDigits(amount_value.get<std::string>()))
        return invalid("Invalid integer: " + (amount_value.is_string() ? amount_value.get<std::string>() : "(object)"),
                       "amount");
    const std::string amount_text = amount_value.get<std::string>();
    if (amount_text.size() > 8) return invalid("Amount must be no more than $999,999.99", "amount", "amount_too_large");
    const int64_t amount = std::stoll(amount_text);
    if (amount < 50) return invalid("Amount must be at least $0.50 usd", "amount", "amount_too_small");

    if (!params.contains("currency"))
        return invalid("Missing required param: currency.", "currency", "parameter_missing");
    const auto& currency_value = params["currency"];
    const std::string currency = currency_value.is_string() ? currency_value.get<std::string>() : "";
    if (currency.size() != 3 ||
        !std::all_of(currency.begin(), currency.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        return invalid(
            "Invalid currency: " + currency + ". Stripe currencies are three-letter ISO codes, in lowercase.",
            "currency");

    if (auto problem = CheckMetadata(params)) return invalid(problem->first, problem->second);
    if (params.contains("automatic_payment_methods")) {
        const auto& apm = params["automatic_payment_methods"];
        if (!apm.is_object() || !apm.contains("enabled"))
            return invalid("Missing required param: automatic_payment_methods[enabled].",
                           "automatic_payment_methods[enabled]", "parameter_missing");
        if (!IsBoolString(apm["enabled"]))
            return invalid("Invalid boolean: " + Dump(apm["enabled"]), "automatic_payment_methods[enabled]");
    }
    for (const char* flag : {"confirm", "off_session", "error_on_requires_action", "use_stripe_sdk"})
        if (params.contains(flag) && !IsBoolString(params[flag]))
            return invalid("Invalid boolean: " + Dump(params[flag]), flag);
    std::string capture_method = "automatic";
    if (params.contains("capture_method")) {
        const auto& value = params["capture_method"];
        if (!value.is_string() || (value != "automatic" && value != "automatic_async" && value != "manual"))
            return invalid("Invalid capture_method: must be one of automatic, automatic_async, or manual",
                           "capture_method");
        capture_method = value.get<std::string>();
    }
    for (const char* text : {"description", "receipt_email", "customer", "payment_method", "statement_descriptor"})
        if (params.contains(text) && !params[text].is_string()) return invalid("Invalid string", text);
    if (params.contains("expand") && !params["expand"].is_array()) return invalid("Invalid array", "expand");

    const std::string id = "pi_" + RandomAlnum(24);
    const auto optional_string = [&](const char* name) -> nlohmann::json {
        return params.contains(name) ? params[name] : nlohmann::json(nullptr);
    };
    nlohmann::json intent = {
        {"id", id},
        {"object", "payment_intent"},
        {"amount", amount},
        {"amount_capturable", 0},
        {"amount_received", 0},
        {"automatic_payment_methods",
         params.contains("automatic_payment_methods")
             ? nlohmann::json{{"enabled", params["automatic_payment_methods"]["enabled"] == "true"}}
             : nlohmann::json(nullptr)},
        {"canceled_at", nullptr},
        {"cancellation_reason", nullptr},
        {"capture_method", capture_method},
        {"client_secret", id + "_secret_" + RandomAlnum(25)},
        {"confirmation_method", "automatic"},
        {"created", UnixNow()},
        {"currency", currency},
        {"customer", optional_string("customer")},
        {"description", optional_string("description")},
        {"last_payment_error", nullptr},
        {"latest_charge", nullptr},
        {"livemode", false},
        {"metadata", MetadataObject(params)},
        {"next_action", nullptr},
        {"payment_method", optional_string("payment_method")},
        {"payment_method_types", nlohmann::json::array({"card"})},
        {"receipt_email", optional_string("receipt_email")},
        {"status", "requires_payment_method"},
    };
    if (params.value("confirm", "") == "true" && params.contains("payment_method")) {
        if (capture_method == "manual") {
            intent["status"] = "requires_capture";
            intent["amount_capturable"] = amount;
        } else {
            intent["status"] = "succeeded";
            intent["amount_received"] = amount;
        }
        intent["latest_charge"] = "ch_" + RandomAlnum(24);
    } else if (params.contains("payment_method")) {
        intent["status"] = "requires_confirmation";
    }
    intents_[id] = intent;
    ++intents_created_;
    return {JsonReply(200, intent), true};
}

FakeStripe::Outcome FakeStripe::CreateRefund(const ReceivedRequest& request, const nlohmann::json& params) {
    const auto invalid = [&](const std::string& message, const std::string& param, const std::string& code = "",
                             bool store = false) {
        return Error(request, 400, "invalid_request_error", message, param, code, store);
    };
    for (const auto& [key, value] : params.items())
        if (!kRefundParams.count(key)) return invalid("Received unknown parameter: " + key, key, "parameter_unknown");
    if (!params.contains("payment_intent") && !params.contains("charge"))
        return invalid("One of the following params should be provided for this request: payment_intent or charge.",
                       "payment_intent", "parameter_missing");
    if (params.contains("payment_intent") && params.contains("charge"))
        return invalid("You cannot specify both payment_intent and charge.", "charge");
    std::optional<int64_t> amount;
    if (params.contains("amount")) {
        const auto& value = params["amount"];
        if (!value.is_string() || !IsDigits(value.get<std::string>()) || value.get<std::string>().size() > 10)
            return invalid("Invalid integer: " + (value.is_string() ? value.get<std::string>() : "(object)"), "amount");
        amount = std::stoll(value.get<std::string>());
        if (*amount < 1) return invalid("Invalid positive integer", "amount");
    }
    if (params.contains("reason")) {
        const auto& reason = params["reason"];
        if (reason != "duplicate" && reason != "fraudulent" && reason != "requested_by_customer")
            return invalid("Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer", "reason");
    }
    if (auto problem = CheckMetadata(params)) return invalid(problem->first, problem->second);

    nlohmann::json* intent = nullptr;
    if (params.contains("payment_intent")) {
        const std::string id = params["payment_intent"].is_string() ? params["payment_intent"].get<std::string>() : "";
        const auto found = intents_.find(id);
        if (found == intents_.end())
            return invalid("No such payment_intent: '" + id + "'", "payment_intent", "resource_missing");
        intent = &found->second;
    } else {
        const auto& charge = params["charge"];
        for (auto& [id, candidate] : intents_)
            if (candidate["latest_charge"] == charge) intent = &candidate;
        if (intent == nullptr)
            return invalid("No such charge: '" + (charge.is_string() ? charge.get<std::string>() : "") + "'", "charge",
                           "resource_missing");
    }
    const std::string intent_id = (*intent)["id"].get<std::string>();
    if ((*intent)["status"] != "succeeded")
        return invalid("This PaymentIntent (" + intent_id + ") does not have a successful charge to refund.",
                       "payment_intent", "charge_not_refundable", true);
    const int64_t total = (*intent)["amount"].get<int64_t>();
    const int64_t already = refunded_[intent_id];
    const int64_t remaining = total - already;
    if (remaining <= 0)
        return invalid("Charge " + (*intent)["latest_charge"].get<std::string>() + " has already been refunded.",
                       "charge", "charge_already_refunded", true);
    const int64_t refund_amount = amount.value_or(remaining);
    if (refund_amount > remaining)
        return invalid("Refund amount (" + Dollars(refund_amount) + ") is greater than unrefunded amount on charge (" +
                           Dollars(remaining) + ")",
                       "amount", "amount_too_large", true);
    refunded_[intent_id] = already + refund_amount;
    nlohmann::json refund = {
        {"id", "re_" + RandomAlnum(24)},
        {"object", "refund"},
        {"amount", refund_amount},
        {"balance_transaction", "txn_" + RandomAlnum(24)},
        {"charge", (*intent)["latest_charge"]},
        {"created", UnixNow()},
        {"currency", (*intent)["currency"]},
        {"metadata", MetadataObject(params)},
        {"payment_intent", intent_id},
        {"reason", params.contains("reason") ? params["reason"] : nlohmann::json(nullptr)},
        {"receipt_number", nullptr},
        {"status", "succeeded"},
    };
    refunds_.push_back(refund);
    return {JsonReply(200, refund), true};
}

void FakeStripe::SetIntentStatus(const std::string& id, const std::string& status) {
    const std::lock_guard lock(mutex_);
    const auto found = intents_.find(id);
    if (found == intents_.end()) return;
    auto& intent = found->second;
    intent["status"] = status;
    if (status == "succeeded") {
        intent["amount_received"] = intent["amount"];
        intent["amount_capturable"] = 0;
    } else if (status == "requires_capture") {
        intent["amount_capturable"] = intent["amount"];
    }
    if ((status == "succeeded" || status == "requires_capture" || status == "processing") &&
        intent["latest_charge"].is_null())
        intent["latest_charge"] = "ch_" + RandomAlnum(24);
    if (status == "canceled") intent["canceled_at"] = UnixNow();
}

size_t FakeStripe::intents_created() const {
    const std::lock_guard lock(mutex_);
    return intents_created_;
}

std::optional<nlohmann::json> FakeStripe::intent(const std::string& id) const {
    const std::lock_guard lock(mutex_);
    const auto found = intents_.find(id);
    if (found == intents_.end()) return std::nullopt;
    return found->second;
}

std::vector<nlohmann::json> FakeStripe::refunds() const {
    const std::lock_guard lock(mutex_);
    return refunds_;
}

std::string FakeStripe::SignatureHeader(const std::string& webhook_secret, const std::string& body, int64_t unix_time) {
    const std::string t = std::to_string(unix_time);
    return "t=" + t + ",v1=" + HexEncode(HmacSha256(webhook_secret, t + "." + body));
}

std::string FakeStripe::EventJson(const std::string& event_id, const std::string& type, const nlohmann::json& object) {
    const nlohmann::json event = {
        {"id", event_id},
        {"object", "event"},
        {"api_version", "2024-06-20"},
        {"created", UnixNow()},
        {"data", {{"object", object}}},
        {"livemode", false},
        {"pending_webhooks", 1},
        {"request", {{"id", nullptr}, {"idempotency_key", nullptr}}},
        {"type", type},
    };
    return Dump(event);
}

}  // namespace kiln::testing
