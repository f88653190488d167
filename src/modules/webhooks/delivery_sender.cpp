#include "modules/webhooks/delivery_sender.hpp"

#include "core/backoff.hpp"
#include "core/uuid.hpp"
#include "modules/webhooks/webhook_signature.hpp"

namespace kiln::webhooks {

namespace {

/// Length of the valid UTF-8 sequence starting at text[i], or 0 when there is none.
size_t SequenceLength(const std::string& text, size_t i) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    size_t length = 0;
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF)
        length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF)
        length = 3;
    else if (lead >= 0xF0 && lead <= 0xF4)
        length = 4;
    else
        return 0;
    if (i + length > text.size()) return 0;
    for (size_t k = 1; k < length; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    // Overlong forms, surrogates and code points past U+10FFFF.
    if ((lead == 0xE0 && byte(i + 1) < 0xA0) || (lead == 0xED && byte(i + 1) > 0x9F) ||
        (lead == 0xF0 && byte(i + 1) < 0x90) || (lead == 0xF4 && byte(i + 1) > 0x8F))
        return 0;
    return length;
}

}  // namespace

std::string SanitizeUtf8(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        const size_t length = SequenceLength(text, i);
        if (length == 0 || (length == 1 && text[i] == '\0')) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(text, i, length);
            i += length;
        }
    }
    return out;
}

SendResult DeliverySender::Send(const Subscription& subscription, const Delivery& delivery, int attempt,
                                const std::string& trigger) const {
    const Timestamp now = Now();
    const int64_t timestamp = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    egress::OutboundRequest request;
    request.method = "POST";
    request.url = subscription.target_url;
    request.body = delivery.payload;
    request.timeout = timeout_;
    request.max_response_bytes = kMaxResponseBytes;
    request.follow_redirects = false;
    request.purpose = "webhook";
    // The message id is the event's: the same on every retry and replay, so receivers can
    // discard what they already processed.
    request.headers = {{"Content-Type", "application/json"},
                       {"webhook-id", delivery.event_id},
                       {"webhook-timestamp", std::to_string(timestamp)},
                       {"webhook-signature", SignatureHeader(subscription.SigningSecrets(now), delivery.event_id,
                                                             timestamp, delivery.payload)}};

    SendResult result;
    result.attempt = {.id = NewUuidV7(),
                      .delivery_id = delivery.id,
                      .subscription_id = subscription.id,
                      .attempt = attempt,
                      .trigger = trigger,
                      .attempted_at = now};
    const auto started = std::chrono::steady_clock::now();
    try {
        const auto response = client_.Send(request, egress::Trust::kTenant);  // a subscriber's URL
        result.attempt.status_code = response.status;
        result.attempt.response_body = SanitizeUtf8(response.body);
        result.verdict = Judge(response.status);
        if (const auto header = response.Header("retry-after"))
            result.retry_after = backoff::ParseRetryAfter(*header, now);
    } catch (const egress::EgressError& e) {
        result.verdict = JudgeError(egress::EgressError::KindName(e.kind()));
        result.attempt.error = e.what();
    }
    result.attempt.latency_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
    result.attempt.succeeded = result.verdict.succeeded;
    if (!result.verdict.succeeded) {
        result.attempt.error_class = result.verdict.error_class;
        if (!result.attempt.error && result.attempt.status_code)
            result.attempt.error = "HTTP " + std::to_string(*result.attempt.status_code);
    }
    return result;
}

}  // namespace kiln::webhooks
