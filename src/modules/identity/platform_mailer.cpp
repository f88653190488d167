#include "modules/identity/platform_mailer.hpp"

#include <curl/curl.h>

#include <ctime>
#include <memory>

#include "core/error.hpp"
#include "core/uuid.hpp"

namespace kiln::identity {

namespace {

struct CurlDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct ListDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

/// CR or LF in a header value would let its author add headers or recipients.
void CheckHeaderValue(const std::string& field, const std::string& value) {
    if (value.find_first_of("\r\n") != std::string::npos) throw ValidationError(field, "must be one line");
}

std::string RfcDate() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &utc);
    return buffer;
}

/// Lines end in CRLF, as SMTP requires; libcurl escapes a leading dot on its own.
std::string WithCrlf(const std::string& text) {
    std::string out;
    out.reserve(text.size() + text.size() / 40);
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out.push_back('\r');
        out.push_back(text[i]);
    }
    return out;
}

std::string Compose(const SmtpSettings& settings, const PlatformMail& mail) {
    const std::string domain = settings.from.substr(settings.from.find('@') + 1);
    return "Date: " + RfcDate() + "\r\nTo: <" + mail.to + ">\r\nFrom: <" + settings.from +
           ">\r\nSubject: " + mail.subject + "\r\nMessage-ID: <" + NewUuidV7() + "@" + domain +
           ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
           "Content-Transfer-Encoding: 8bit\r\n\r\n" +
           WithCrlf(mail.text) + "\r\n";
}

struct Upload {
    const std::string& data;
    size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    const size_t n = std::min(size * count, upload->data.size() - upload->offset);
    upload->data.copy(buffer, n, upload->offset);
    upload->offset += n;
    return n;
}

}  // namespace

void PlatformMailer::Send(const PlatformMail& mail) const {
    if (!configured()) throw Error(ErrorCode::kUnavailable, "No platform mailer is configured (KILN_SMTP_URL).");
    CheckHeaderValue("to", mail.to);
    CheckHeaderValue("subject", mail.subject);
    if (mail.to.find_first_of("<> ") != std::string::npos) throw ValidationError("to", "must be an email address");
    const std::string message = Compose(settings_, mail);
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) throw Error(ErrorCode::kInternal, "curl_easy_init failed");
    std::unique_ptr<curl_slist, ListDeleter> recipients(curl_slist_append(nullptr, ("<" + mail.to + ">").c_str()));
    const std::string from = "<" + settings_.from + ">";
    Upload upload{message};
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout.count()));
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    if (settings_.require_starttls) curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!settings_.user.empty()) {
        curl_easy_setopt(h, CURLOPT_USERNAME, settings_.user.c_str());
        curl_easy_setopt(h, CURLOPT_PASSWORD, settings_.password.c_str());
    }
    const CURLcode result = curl_easy_perform(h);
    if (result != CURLE_OK)
        throw Error(ErrorCode::kUpstream,
                    std::string("The mail relay did not take the message: ") + curl_easy_strerror(result));
}

}  // namespace kiln::identity
