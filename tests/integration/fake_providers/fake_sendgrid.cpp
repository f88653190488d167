#include "fake_sendgrid.hpp"

#include <openssl/x509.h>

#include <algorithm>
#include <regex>
#include <set>
#include <stdexcept>

namespace kiln::testing {

using namespace fakeutil;

namespace {

constexpr size_t kMaxRequestBytes = size_t{30} * 1024 * 1024;
const char* const kHelp = "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html";

struct FieldError {
    std::string message;
    std::string field;  // empty -> null
};

bool ValidEmail(const nlohmann::json& value) {
    static const std::regex pattern(R"(^[^@\s<>,;"]+@[^@\s<>,;"]+\.[^@\s<>,;"]+$)");
    return value.is_string() && std::regex_match(value.get<std::string>(), pattern);
}

class MailValidator {
  public:
    explicit MailValidator(const nlohmann::json& mail) : mail_(mail) {}

    std::vector<FieldError> Run() {
        if (!mail_.is_object()) {
            Add("The request body must be a JSON object.", "");
            return errors_;
        }
        const bool has_template = mail_.contains("template_id") && !mail_["template_id"].is_null();
        if (has_template && (!mail_["template_id"].is_string() || mail_["template_id"].get<std::string>().empty()))
            Add("The template_id must be a valid template ID.", "template_id");
        Personalizations(has_template);
        From();
        Content(has_template);
        Attachments();
        ReplyTo();
        CustomArgs(mail_, "custom_args");
        Categories();
        if (mail_.contains("send_at") && !mail_["send_at"].is_number_integer())
            Add("The send_at parameter must be a UNIX timestamp.", "send_at");
        return errors_;
    }

  private:
    void Add(std::string message, std::string field) { errors_.push_back({std::move(message), std::move(field)}); }

    void Personalizations(bool has_template) {
        const auto found = mail_.find("personalizations");
        if (found == mail_.end() || !found->is_array() || found->empty()) {
            Add("The personalizations field is required and must have at least one personalization.",
                "personalizations");
            return;
        }
        if (found->size() > 1000)
            Add("The personalizations field cannot have more than 1000 personalizations.", "personalizations");
        const bool global_subject =
            mail_.contains("subject") && mail_["subject"].is_string() && !mail_["subject"].get<std::string>().empty();
        bool every_has_subject = true;
        size_t recipients = 0;
        for (size_t i = 0; i < found->size(); ++i) {
            const auto& p = (*found)[i];
            const std::string prefix = "personalizations." + std::to_string(i);
            if (!p.is_object()) {
                Add("Each personalization must be an object.", prefix);
                every_has_subject = false;
                continue;
            }
            if (!p.contains("to") || !p["to"].is_array() || p["to"].empty()) {
                Add("The to array is required for all personalization objects, and must have at least one email "
                    "object with a valid email address.",
                    prefix + ".to");
            }
            std::set<std::string> seen;
            for (const char* list : {"to", "cc", "bcc"}) {
                if (!p.contains(list)) continue;
                const auto& entries = p[list];
                const std::string list_field = prefix + "." + list;
                if (!entries.is_array()) {
                    Add(std::string("The ") + list + " field must be an array of email objects.", list_field);
                    continue;
                }
                if (entries.empty() && std::string(list) != "to")
                    Add(std::string("The ") + list + " array must have at least one email object.", list_field);
                for (size_t j = 0; j < entries.size(); ++j) {
                    const auto& entry = entries[j];
                    const std::string entry_field = list_field + "." + std::to_string(j);
                    ++recipients;
                    if (!entry.is_object() || !ValidEmail(entry.value("email", nlohmann::json()))) {
                        Add("Does not contain a valid address.", entry_field + ".email");
                        continue;
                    }
                    if (entry.contains("name")) {
                        if (!entry["name"].is_string()) {
                            Add("The name must be a string.", entry_field + ".name");
                        } else if (entry["name"].get<std::string>().find_first_of(";,") != std::string::npos) {
                            Add(std::string("The ") + list + " name cannot contain ';' or ','.", entry_field + ".name");
                        }
                    }
                    const std::string email = ToLower(entry["email"].get<std::string>());
                    if (!seen.insert(email).second)
                        Add("Each email address in the personalization block should be unique between to, cc, and "
                            "bcc. We found the first duplicate instance of [" +
                                entry["email"].get<std::string>() + "] in the " + list_field + " field.",
                            list_field + "." + std::to_string(j) + ".email");
                }
            }
            const bool has_subject =
                p.contains("subject") && p["subject"].is_string() && !p["subject"].get<std::string>().empty();
            if (p.contains("subject") && !p["subject"].is_string())
                Add("The subject must be a string.", prefix + ".subject");
            every_has_subject = every_has_subject && has_subject;
            CustomArgs(p, prefix + ".custom_args");
            if (p.contains("dynamic_template_data") && !p["dynamic_template_data"].is_object())
                Add("The dynamic_template_data must be an object.", prefix + ".dynamic_template_data");
        }
        if (recipients > 1000)
            Add("The total number of recipients must be less than 1000. This includes all recipients defined "
                "within the to, cc, and bcc parameters, across each object that you include in the "
                "personalizations array.",
                "personalizations");
        if (mail_.contains("subject") && !mail_["subject"].is_string()) Add("The subject must be a string.", "subject");
        if (!has_template && !global_subject && !every_has_subject)
            Add("The subject is required. You can get around this requirement if you use a template with a subject "
                "defined or if every personalization has a subject defined.",
                "subject");
    }

    void From() {
        const auto found = mail_.find("from");
        if (found == mail_.end() || !found->is_object() || !found->contains("email")) {
            Add("The from object must be provided for every email send. It is an object that requires the email "
                "parameter, but may also contain a name parameter.",
                "from");
            return;
        }
        if (!ValidEmail((*found)["email"])) Add("The from email does not contain a valid address.", "from.email");
        if (found->contains("name") && !(*found)["name"].is_string())
            Add("The from name must be a string.", "from.name");
    }

    void Content(bool has_template) {
        const auto found = mail_.find("content");
        if (found == mail_.end() || found->is_null()) {
            if (!has_template)
                Add("Unless a valid template_id is provided, the content parameter is required. There must be at "
                    "least one defined content block. We typically suggest both text/plain and text/html blocks are "
                    "included, but only one block is required.",
                    "content");
            return;
        }
        if (!found->is_array() || (found->empty() && !has_template)) {
            Add("Unless a valid template_id is provided, the content parameter is required. There must be at least "
                "one defined content block. We typically suggest both text/plain and text/html blocks are included, "
                "but only one block is required.",
                "content");
            return;
        }
        int plain_at = -1;
        int html_at = -1;
        for (size_t i = 0; i < found->size(); ++i) {
            const auto& block = (*found)[i];
            const std::string field = "content." + std::to_string(i);
            if (!block.is_object() || !block.contains("type") || !block["type"].is_string() ||
                block["type"].get<std::string>().empty()) {
                Add("The content type must be a string at least one character in length.", field + ".type");
                continue;
            }
            if (!block.contains("value") || !block["value"].is_string() || block["value"].get<std::string>().empty())
                Add("The content value must be a string at least one character in length.", field + ".value");
            const std::string type = ToLower(block["type"].get<std::string>());
            if (type.find_first_of(";\r\n") != std::string::npos)
                Add("The content type cannot contain ';', or CRLF characters.", field + ".type");
            if (type == "text/plain" && plain_at < 0) plain_at = static_cast<int>(i);
            if (type == "text/html" && html_at < 0) html_at = static_cast<int>(i);
        }
        const bool plain_ok = plain_at <= 0;
        const bool html_ok = html_at < 0 || html_at == (plain_at < 0 ? 0 : 1);
        if (!plain_ok || !html_ok)
            Add("If present, text/plain must be first, followed by text/html, followed by any other content.",
                "content");
    }

    void Attachments() {
        const auto found = mail_.find("attachments");
        if (found == mail_.end()) return;
        if (!found->is_array()) {
            Add("The attachments field must be an array.", "attachments");
            return;
        }
        for (size_t i = 0; i < found->size(); ++i) {
            const auto& attachment = (*found)[i];
            const std::string prefix = "attachments." + std::to_string(i);
            if (!attachment.is_object()) {
                Add("Each attachment must be an object.", prefix);
                continue;
            }
            const auto content = attachment.value("content", nlohmann::json());
            if (!content.is_string() || content.get<std::string>().empty())
                Add("The attachment content is required.", prefix + ".content");
            else if (!Base64Decode(content.get<std::string>()))
                Add("The attachment content must be base64 encoded.", prefix + ".content");
            const auto filename = attachment.value("filename", nlohmann::json());
            if (!filename.is_string() || filename.get<std::string>().empty())
                Add("The attachment filename parameter is required.", prefix + ".filename");
            const auto disposition = attachment.value("disposition", nlohmann::json("attachment"));
            if (disposition != "attachment" && disposition != "inline")
                Add("The disposition of your attachment can be either 'inline' or 'attachment'.",
                    prefix + ".disposition");
            if (disposition == "inline" && !attachment.value("content_id", nlohmann::json()).is_string())
                Add("The content_id parameter is required if your attachment is set to inline disposition.",
                    prefix + ".content_id");
            if (attachment.contains("type") && !attachment["type"].is_string())
                Add("The attachment type must be a string.", prefix + ".type");
        }
    }

    void ReplyTo() {
        if (mail_.contains("reply_to") && mail_.contains("reply_to_list"))
            Add("The reply_to and reply_to_list fields are mutually exclusive.", "reply_to");
        if (mail_.contains("reply_to") &&
            (!mail_["reply_to"].is_object() || !ValidEmail(mail_["reply_to"].value("email", nlohmann::json()))))
            Add("The reply_to email does not contain a valid address.", "reply_to.email");
    }

    void CustomArgs(const nlohmann::json& holder, const std::string& field) {
        if (!holder.contains("custom_args")) return;
        const auto& args = holder["custom_args"];
        if (!args.is_object()) {
            Add("The custom_args must be an object.", field);
            return;
        }
        for (const auto& [key, value] : args.items())
            if (!value.is_string())
                Add("Invalid type. Expected: string, given: " + std::string(value.type_name()) + ".",
                    field + "." + key);
        if (Dump(args).size() >= 10000) Add("The custom_args field must be less than 10000 bytes.", field);
    }

    void Categories() {
        if (!mail_.contains("categories")) return;
        const auto& categories = mail_["categories"];
        if (!categories.is_array()) {
            Add("The categories field must be an array of strings.", "categories");
            return;
        }
        if (categories.size() > 10) Add("Too many categories. An email may have at most 10 categories.", "categories");
        for (size_t i = 0; i < categories.size(); ++i)
            if (!categories[i].is_string() || categories[i].get<std::string>().size() > 255)
                Add("A category must be a string of at most 255 characters.", "categories." + std::to_string(i));
    }

    const nlohmann::json& mail_;
    std::vector<FieldError> errors_;
};

Reply ErrorsReply(int status, const std::vector<FieldError>& errors) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : errors) {
        std::string help_anchor = e.field.empty() ? "" : "#message." + e.field.substr(0, e.field.find('.'));
        list.push_back({{"message", e.message},
                        {"field", e.field.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.field)},
                        {"help", e.field.empty() ? nlohmann::json(nullptr) : nlohmann::json(kHelp + help_anchor)}});
    }
    return JsonReply(status, {{"errors", list}});
}

}  // namespace

FakeSendGrid::FakeSendGrid(std::string api_key) : api_key_(std::move(api_key)) {
    key_.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key_) throw std::runtime_error("FakeSendGrid: P-256 key generation failed");
    Start();
}

FakeSendGrid::~FakeSendGrid() {
    Stop();
}

Reply FakeSendGrid::Handle(const ReceivedRequest& request) {
    const auto reject = [&](int status, const std::vector<FieldError>& errors) {
        std::string why = "HTTP " + std::to_string(status);
        for (const auto& e : errors) why += "; " + (e.field.empty() ? std::string("-") : e.field) + ": " + e.message;
        Violation(request, why);
        return ErrorsReply(status, errors);
    };

    const auto authorization = request.Header("Authorization");
    if (!authorization) return reject(401, {{"authorization required", ""}});
    if (!ConstantTimeEquals(*authorization, "Bearer " + api_key_))
        return reject(401, {{"The provided authorization grant is invalid, expired, or revoked", ""}});

    const auto [path, query] = SplitTarget(request.target);
    if (path == "/v3/scopes") {
        // The API key's permissions: what a connectivity check reads.
        if (request.method != "GET") return reject(405, {{"method not allowed", ""}});
        return JsonReply(200, {{"scopes", nlohmann::json::array({"mail.send"})}});
    }
    if (path != "/v3/mail/send") return reject(404, {{"not found", ""}});
    if (request.method != "POST") return reject(405, {{"method not allowed", ""}});
    if (request.body.size() > kMaxRequestBytes) return reject(413, {{"Payload Too Large", ""}});
    if (MediaType(request.Header("Content-Type")) != "application/json")
        return reject(400, {{"Content-Type should be application/json.", ""}});
    const auto body = ParseJson(request.body);
    if (!body) return reject(400, {{"Bad Request", ""}});
    const auto errors = MailValidator(*body).Run();
    if (!errors.empty()) return reject(400, errors);

    const std::string message_id = RandomAlnum(22);
    sent_.push_back(*body);
    message_ids_.push_back(message_id);
    Reply reply;
    reply.status = 202;
    reply.headers = {{"X-Message-Id", message_id}};
    return reply;
}

std::vector<nlohmann::json> FakeSendGrid::sent() const {
    const std::lock_guard lock(mutex_);
    return sent_;
}

std::vector<std::string> FakeSendGrid::message_ids() const {
    const std::lock_guard lock(mutex_);
    return message_ids_;
}

std::string FakeSendGrid::public_key_base64() const {
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(key_.get(), &der);
    if (length <= 0) throw std::runtime_error("i2d_PUBKEY failed");
    std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
    OPENSSL_free(der);
    return Base64Encode(out);
}

std::string FakeSendGrid::SignEvent(const std::string& timestamp, const std::string& body) const {
    const std::string payload = timestamp + body;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    size_t length = static_cast<size_t>(EVP_PKEY_get_size(key_.get()));
    std::string signature(length, '\0');
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                       reinterpret_cast<const unsigned char*>(payload.data()), payload.size()) != 1)
        throw std::runtime_error("FakeSendGrid::SignEvent: signing failed");
    signature.resize(length);
    return Base64Encode(signature);
}

}  // namespace kiln::testing
