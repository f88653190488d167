#include "fake_razorpay.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace kiln::testing {

using namespace fakeutil;

namespace {
const std::set<std::string> kOrderFields = {
    "amount",    "currency",        "receipt",     "notes", "partial_payment", "first_payment_min_amount",
    "offer_id",  "method",          "customer_id", "token", "bank_account",    "payment_capture",
    "transfers", "line_items_total"};
const std::set<std::string> kPaymentStatuses = {"created", "authorized", "captured", "refunded", "failed"};
}  // namespace

FakeRazorpay::FakeRazorpay(std::string key_id, std::string key_secret)
    : key_id_(std::move(key_id)), key_secret_(std::move(key_secret)) {
    Start();
}

FakeRazorpay::~FakeRazorpay() {
    Stop();
}

Reply FakeRazorpay::Error(const ReceivedRequest& request, int status, const std::string& description,
                          const std::string& field, const std::string& code, const std::string& detail) {
    Violation(request, "HTTP " + std::to_string(status) + " " + code + (field.empty() ? "" : " (" + field + ")") +
                           ": " + description + (detail.empty() ? "" : " — " + detail));
    nlohmann::json error = {{"code", code},
                            {"description", description},
                            {"source", status == 401 ? "NA" : "business"},
                            {"step", status == 401 ? "NA" : "payment_initiation"},
                            {"reason", status == 401 ? "NA" : "input_validation_failed"},
                            {"metadata", nlohmann::json::object()}};
    if (!field.empty()) error["field"] = field;
    return JsonReply(status, {{"error", error}});
}

Reply FakeRazorpay::Handle(const ReceivedRequest& request) {
    // Razorpay accepts exactly "Basic <base64(key_id:key_secret)>" (not BASIC/basic, no quotes).
    const auto authorization = request.Header("Authorization");
    const std::string expected = "Basic " + Base64Encode(key_id_ + ":" + key_secret_);
    if (!authorization || !ConstantTimeEquals(*authorization, expected)) {
        return Error(request, 401, "Authentication failed", "", "BAD_REQUEST_ERROR",
                     !authorization
                         ? std::string("no Authorization header")
                         : "Authorization is not exactly 'Basic base64(key_id:key_secret)': '" + *authorization + "'");
    }

    const auto [path, query] = SplitTarget(request.target);
    const std::vector<std::string> segments = Split(path, '/');  // "", "v1", resource, id, sub

    if (request.method == "POST" && path == "/v1/orders") {
        if (MediaType(request.Header("Content-Type")) != "application/json")
            return Error(request, 400,
                         "Content-Type must be application/json for a JSON body (got '" +
                             request.Header("Content-Type").value_or("") + "')");
        const auto body = ParseJson(request.body);
        if (!body || !body->is_object()) return Error(request, 400, "The request body is not a valid JSON object");
        return CreateOrder(request, *body);
    }
    if (request.method == "GET" && segments.size() >= 4 && segments[1] == "v1" && segments[2] == "orders" &&
        !segments[3].empty()) {
        const auto found = orders_.find(segments[3]);
        if (found == orders_.end()) return Error(request, 400, "The id provided does not exist", "id");
        if (segments.size() == 4) return JsonReply(200, found->second);
        if (segments.size() == 5 && segments[4] == "payments") {
            nlohmann::json items = nlohmann::json::array();
            for (const auto& id : payment_ids_)
                if (payments_[id]["order_id"] == segments[3]) items.push_back(payments_[id]);
            return JsonReply(200, {{"entity", "collection"}, {"count", items.size()}, {"items", items}});
        }
    }
    if (request.method == "GET" && path == "/v1/payments") return ListPayments(request, query);
    if (request.method == "POST" && segments.size() == 5 && segments[1] == "v1" && segments[2] == "payments" &&
        !segments[3].empty() && segments[4] == "refund") {
        if (!request.body.empty() && MediaType(request.Header("Content-Type")) != "application/json")
            return Error(request, 400,
                         "Content-Type must be application/json for a JSON body (got '" +
                             request.Header("Content-Type").value_or("") + "')");
        const auto body =
            request.body.empty() ? std::optional<nlohmann::json>(nlohmann::json::object()) : ParseJson(request.body);
        if (!body || !body->is_object()) return Error(request, 400, "The request body is not a valid JSON object");
        return CreateRefund(request, segments[3], *body);
    }
    if (request.method == "GET" && segments.size() == 4 && segments[1] == "v1" && segments[2] == "payments" &&
        !segments[3].empty()) {
        const auto found = payments_.find(segments[3]);
        if (found == payments_.end()) return Error(request, 400, "The id provided does not exist", "id");
        return JsonReply(200, found->second);
    }
    return Error(request, 404, "The requested URL was not found on the server.", "", "NOT_FOUND");
}

Reply FakeRazorpay::CreateOrder(const ReceivedRequest& request, const nlohmann::json& body) {
    for (const auto& [key, value] : body.items())
        if (!kOrderFields.count(key))
            return Error(request, 400, key + " is/are not required and should not be sent", key);

    if (!body.contains("amount")) return Error(request, 400, "The amount field is required.", "amount");
    const auto& amount = body["amount"];
    if (!amount.is_number_integer() && !amount.is_number_unsigned())
        return Error(request, 400, "The amount must be an integer.", "amount");
    if (amount.get<int64_t>() < 100) return Error(request, 400, "The amount must be atleast INR 1.00", "amount");

    if (!body.contains("currency")) return Error(request, 400, "The currency field is required.", "currency");
    const auto& currency = body["currency"];
    const std::string currency_code = currency.is_string() ? currency.get<std::string>() : "";
    if (currency_code.size() != 3 ||
        !std::all_of(currency_code.begin(), currency_code.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        return Error(request, 400, "Currency is not supported", "currency");

    nlohmann::json receipt = nullptr;
    if (body.contains("receipt") && !body["receipt"].is_null()) {
        if (!body["receipt"].is_string()) return Error(request, 400, "The receipt must be a string.", "receipt");
        if (body["receipt"].get<std::string>().size() > 40)
            return Error(request, 400, "The receipt may not be greater than 40 characters.", "receipt");
        receipt = body["receipt"];
    }

    nlohmann::json notes = nlohmann::json::array();  // Razorpay answers [] for no notes
    if (body.contains("notes") && !body["notes"].is_null()) {
        const auto& given = body["notes"];
        if (given.is_array() && given.empty()) {
            // accepted as "no notes"
        } else if (!given.is_object()) {
            return Error(request, 400, "The notes must be an array.", "notes");
        } else {
            if (given.size() > 15)
                return Error(request, 400, "Number of fields in notes should be less than or equal to 15", "notes");
            for (const auto& [key, value] : given.items()) {
                if (!value.is_string() && !value.is_number() && !value.is_boolean() && !value.is_null())
                    return Error(request, 400, "The notes." + key + " must be a string.", "notes");
                const std::string text = value.is_string() ? value.get<std::string>() : Dump(value);
                if (text.size() > 256)
                    return Error(request, 400, "The notes." + key + " may not be greater than 256 characters.",
                                 "notes");
                if (key.size() > 256)
                    return Error(request, 400, "The notes key may not be greater than 256 characters.", "notes");
            }
            if (!given.empty()) notes = given;
        }
    }
    if (body.contains("partial_payment") && !body["partial_payment"].is_boolean() &&
        !(body["partial_payment"].is_number_integer() &&
          (body["partial_payment"] == 0 || body["partial_payment"] == 1)))
        return Error(request, 400, "The partial payment field must be true or false.", "partial_payment");

    const std::string id = "order_" + RandomAlnum(14);
    nlohmann::json order = {{"id", id},           {"entity", "order"},    {"amount", amount},
                            {"amount_paid", 0},   {"amount_due", amount}, {"currency", currency},
                            {"receipt", receipt}, {"offer_id", nullptr},  {"status", "created"},
                            {"attempts", 0},      {"notes", notes},       {"created_at", UnixNow()}};
    orders_[id] = order;
    order_ids_.push_back(id);
    return JsonReply(200, order);
}

Reply FakeRazorpay::ListPayments(const ReceivedRequest& request, const std::string& query) {
    const auto params = ParseForm(query);
    if (!params) return Error(request, 400, "The query string is malformed");
    size_t count = 10;
    size_t skip = 0;
    for (const auto& [name, value] : *params) {
        const bool digits = !value.empty() && value.size() <= 9 &&
                            std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (name == "count") {
            if (!digits || std::stoul(value) < 1 || std::stoul(value) > 100)
                return Error(request, 400, "The count must be between 1 and 100.", "count");
            count = std::stoul(value);
        } else if (name == "skip") {
            if (!digits) return Error(request, 400, "The skip must be an integer.", "skip");
            skip = std::stoul(value);
        } else if (name == "from" || name == "to") {
            if (!digits) return Error(request, 400, "The " + name + " must be an integer.", name);
        } else if (name != "expand[]") {
            return Error(request, 400, name + " is/are not required and should not be sent", name);
        }
    }
    // Newest first, like Razorpay.
    nlohmann::json items = nlohmann::json::array();
    for (auto it = payment_ids_.rbegin(); it != payment_ids_.rend() && items.size() < count; ++it) {
        if (skip > 0) {
            --skip;
            continue;
        }
        items.push_back(payments_[*it]);
    }
    return JsonReply(200, {{"entity", "collection"}, {"count", items.size()}, {"items", items}});
}

Reply FakeRazorpay::CreateRefund(const ReceivedRequest& request, const std::string& payment_id,
                                 const nlohmann::json& body) {
    static const std::set<std::string> kRefundFields = {"amount", "speed", "notes", "receipt"};
    const auto key = request.Header("X-Refund-Idempotency");
    if (key) {
        const bool valid = key->size() >= 10 && key->size() <= 100 && std::all_of(key->begin(), key->end(), [](char c) {
                               return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
                           });
        if (!valid)
            return Error(request, 400, "X-Refund-Idempotency must be 10-100 characters of [A-Za-z0-9_-]",
                         "X-Refund-Idempotency");
        if (const auto stored = refund_keys_.find(*key); stored != refund_keys_.end()) {
            if (stored->second.payment_id != payment_id || stored->second.body != body)
                return Error(request, 400, "The idempotency key was already used for a different refund request",
                             "X-Refund-Idempotency");
            return stored->second.reply;
        }
    }
    for (const auto& [name, value] : body.items())
        if (!kRefundFields.contains(name))
            return Error(request, 400, name + " is/are not required and should not be sent", name);
    const auto found = payments_.find(payment_id);
    if (found == payments_.end()) return Error(request, 400, "The id provided does not exist", "id");
    auto& payment = found->second;
    if (!payment["captured"].get<bool>())
        return Error(request, 400, "The payment has not been captured and cannot be refunded", "payment_id");
    const int64_t total = payment["amount"].get<int64_t>();
    const int64_t already = payment["amount_refunded"].get<int64_t>();
    if (already >= total) return Error(request, 400, "The payment has been fully refunded already", "payment_id");
    int64_t amount = total - already;
    if (body.contains("amount")) {
        const auto& value = body["amount"];
        if (!value.is_number_integer() && !value.is_number_unsigned())
            return Error(request, 400, "The amount must be an integer.", "amount");
        amount = value.get<int64_t>();
        if (amount < 100) return Error(request, 400, "The amount must be atleast INR 1.00", "amount");
        if (amount > total - already)
            return Error(request, 400, "The refund amount provided is greater than amount captured", "amount");
    }
    if (body.contains("speed") && body["speed"] != "normal" && body["speed"] != "optimum")
        return Error(request, 400, "The selected speed is invalid.", "speed");
    if (body.contains("receipt") && !body["receipt"].is_null() &&
        (!body["receipt"].is_string() || body["receipt"].get<std::string>().size() > 40))
        return Error(request, 400, "The receipt may not be greater than 40 characters.", "receipt");

    payment["amount_refunded"] = already + amount;
    payment["refund_status"] = already + amount >= total ? "full" : "partial";
    if (already + amount >= total) payment["status"] = "refunded";
    const std::string speed = body.value("speed", "normal");
    const nlohmann::json refund = {
        {"id", "rfnd_" + RandomAlnum(14)},
        {"entity", "refund"},
        {"amount", amount},
        {"currency", payment["currency"]},
        {"payment_id", payment_id},
        {"notes", body.contains("notes") && body["notes"].is_object() ? body["notes"] : nlohmann::json::array()},
        {"receipt", body.contains("receipt") ? body["receipt"] : nlohmann::json(nullptr)},
        {"acquirer_data", {{"arn", nullptr}}},
        {"created_at", UnixNow()},
        {"batch_id", nullptr},
        {"status", "processed"},
        {"speed_processed", "normal"},
        {"speed_requested", speed}};
    refunds_.push_back(refund);
    Reply reply = JsonReply(200, refund);
    if (key) refund_keys_[*key] = StoredRefund{payment_id, body, reply};
    return reply;
}

std::string FakeRazorpay::AddPayment(const std::string& order_id, const std::string& status) {
    const std::lock_guard lock(mutex_);
    const auto found = orders_.find(order_id);
    if (found == orders_.end() || !kPaymentStatuses.count(status)) return "";
    auto& order = found->second;
    const std::string id = "pay_" + RandomAlnum(14);
    const bool captured = status == "captured" || status == "refunded";
    const bool failed = status == "failed";
    nlohmann::json payment = {
        {"id", id},
        {"entity", "payment"},
        {"amount", order["amount"]},
        {"currency", order["currency"]},
        {"status", status},
        {"order_id", order_id},
        {"invoice_id", nullptr},
        {"international", false},
        {"method", "card"},
        {"amount_refunded", status == "refunded" ? order["amount"] : nlohmann::json(0)},
        {"refund_status", status == "refunded" ? nlohmann::json("full") : nlohmann::json()},
        {"captured", captured},
        {"description", nullptr},
        {"card_id", "card_" + RandomAlnum(14)},
        {"bank", nullptr},
        {"wallet", nullptr},
        {"vpa", nullptr},
        {"email", "customer@example.com"},
        {"contact", "+919000090000"},
        {"notes", nlohmann::json::array()},
        {"fee", captured ? nlohmann::json(order["amount"].get<int64_t>() * 2 / 100) : nlohmann::json(nullptr)},
        {"tax", captured ? nlohmann::json(0) : nlohmann::json(nullptr)},
        {"error_code", failed ? nlohmann::json("BAD_REQUEST_ERROR") : nlohmann::json()},
        {"error_description", failed ? nlohmann::json("Payment failed due to insufficient funds.") : nlohmann::json()},
        {"error_source", failed ? nlohmann::json("customer") : nlohmann::json()},
        {"error_step", failed ? nlohmann::json("payment_authorization") : nlohmann::json()},
        {"error_reason", failed ? nlohmann::json("insufficient_funds") : nlohmann::json()},
        {"acquirer_data", {{"auth_code", captured ? nlohmann::json("123456") : nlohmann::json()}}},
        {"created_at", UnixNow()}};
    payments_[id] = payment;
    payment_ids_.push_back(id);
    order["attempts"] = order["attempts"].get<int64_t>() + 1;
    if (captured) {
        order["status"] = "paid";
        order["amount_paid"] = order["amount"];
        order["amount_due"] = 0;
    } else if (order["status"] == "created") {
        order["status"] = "attempted";
    }
    return id;
}

std::optional<nlohmann::json> FakeRazorpay::order(const std::string& id) const {
    const std::lock_guard lock(mutex_);
    const auto found = orders_.find(id);
    if (found == orders_.end()) return std::nullopt;
    return found->second;
}

std::optional<nlohmann::json> FakeRazorpay::payment(const std::string& id) const {
    const std::lock_guard lock(mutex_);
    const auto found = payments_.find(id);
    if (found == payments_.end()) return std::nullopt;
    return found->second;
}

std::vector<nlohmann::json> FakeRazorpay::orders() const {
    const std::lock_guard lock(mutex_);
    std::vector<nlohmann::json> out;
    for (const auto& id : order_ids_) out.push_back(orders_.at(id));
    return out;
}

std::vector<nlohmann::json> FakeRazorpay::refunds() const {
    const std::lock_guard lock(mutex_);
    return refunds_;
}

std::string FakeRazorpay::PaymentSignature(const std::string& key_secret, const std::string& order_id,
                                           const std::string& payment_id) {
    return HexEncode(HmacSha256(key_secret, order_id + "|" + payment_id));
}

std::string FakeRazorpay::WebhookSignature(const std::string& secret, const std::string& body) {
    return HexEncode(HmacSha256(secret, body));
}

}  // namespace kiln::testing
