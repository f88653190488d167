// Every provider's webhook signature check, fed the attacker's header values and body: each answers one of
// the VerifyResult values, never crashes, and never says kValid for a header it did not compute itself
// (the secret below is not in the input, so a valid answer could only come from a broken comparison).

#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/form_encoding.hpp"
#include "modules/integrations/crypto/timestamp_window.hpp"
#include "modules/integrations/providers/docusign/docusign_connect_signature.hpp"
#include "modules/integrations/providers/razorpay/razorpay_signature.hpp"
#include "modules/integrations/providers/sendgrid/sendgrid_signature.hpp"
#include "modules/integrations/providers/shopify/shopify_signature.hpp"
#include "modules/integrations/providers/stripe/stripe_signature.hpp"
#include "modules/integrations/providers/twilio/twilio_signature.hpp"

namespace {

using kiln::integrations::signatures::VerifyResult;

const std::vector<std::string> kSecrets = {"whsec_fuzzsecret0000000000000001", "previous-secret-0002"};
// A P-256 public key (base64 DER) as SendGrid publishes one; its private half was thrown away.
const std::vector<std::string> kSendGridKeys = {
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEkHq0EH8R8S1AwQ2w0DxOuoyGfy4C/"
    "db15fIAjqzUFtwmbwgROi2tRocl7HSuae7nQWAnZBQ6CY1XCqEltSv8bg=="};

void RequireNotValid(VerifyResult result) {
    if (result == VerifyResult::kValid) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider input(data, size);
    const auto provider = input.ConsumeIntegralInRange<int>(0, 6);
    const std::string header = input.ConsumeRandomLengthString(512);
    const std::string second = input.ConsumeRandomLengthString(256);
    const std::string body = input.ConsumeRemainingBytesAsString();
    const auto now = std::chrono::system_clock::now();
    switch (provider) {
        case 0: {
            RequireNotValid(kiln::integrations::signatures::VerifyStripeSignature(header, body, kSecrets, now));
            // What Kiln's own signer produces for this body verifies, whatever the body is.
            const auto t = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
            const auto own = kiln::integrations::signatures::StripeSignatureHeader(kSecrets[0], body, t);
            if (kiln::integrations::signatures::VerifyStripeSignature(own, body, kSecrets, now) != VerifyResult::kValid)
                __builtin_trap();
            break;
        }
        case 1:
            RequireNotValid(kiln::integrations::signatures::VerifyRazorpayWebhook(header, body, kSecrets));
            (void)kiln::integrations::signatures::VerifyRazorpayPayment(header, second, body, kSecrets[0]);
            break;
        case 2:
            RequireNotValid(kiln::integrations::signatures::VerifyShopifyWebhook(header, body, kSecrets));
            break;
        case 3: {
            std::vector<std::pair<std::string, std::string>> params;
            try {
                params = kiln::ParseFormUrlEncoded(body);
            } catch (const std::invalid_argument&) {
                break;  // the hook answers 400 before any signature check
            }
            RequireNotValid(kiln::integrations::signatures::VerifyTwilioSignature(header, second, params, kSecrets));
            break;
        }
        case 4:
            RequireNotValid(
                kiln::integrations::signatures::VerifySendGridSignature(header, second, body, kSendGridKeys, now));
            break;
        case 5:
            RequireNotValid(kiln::integrations::signatures::VerifyDocuSignSignatures({header, second}, body, kSecrets));
            break;
        default:
            if (const auto seconds = kiln::integrations::signatures::ParseUnixSeconds(header))
                (void)kiln::integrations::signatures::WithinTolerance(*seconds, now, std::chrono::seconds{300});
            break;
    }
    return 0;
}
