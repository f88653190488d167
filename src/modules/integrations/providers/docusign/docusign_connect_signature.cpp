#include "modules/integrations/providers/docusign/docusign_connect_signature.hpp"

#include "core/crypto.hpp"

namespace kiln::integrations::signatures {

namespace {

constexpr size_t kHmacSha256Bytes = 32;

}  // namespace

VerifyResult VerifyDocuSignSignatures(const std::vector<std::string>& header_values, std::string_view raw_body,
                                      const std::vector<std::string>& secrets) {
    // Computed once per secret, not once per (header, secret) pair.
    std::vector<std::string> expected;
    expected.reserve(secrets.size());
    for (const std::string& secret : secrets) expected.push_back(crypto::HmacSha256(secret, raw_body));

    bool any_present = false;
    bool any_well_formed = false;
    bool matched = false;
    for (const std::string& header : header_values) {
        if (header.empty()) continue;
        any_present = true;
        // A malformed header among good ones is skipped, not fatal: DocuSign adds one header per Connect key and
        // only one of them needs to be ours.
        std::string received;
        if (!crypto::Base64Decode(header, received) || received.size() != kHmacSha256Bytes) continue;
        any_well_formed = true;
        for (const std::string& digest : expected) matched = crypto::ConstantTimeEquals(digest, received) || matched;
    }
    if (matched) return VerifyResult::kValid;
    if (!any_present) return VerifyResult::kMissing;
    return any_well_formed ? VerifyResult::kMismatch : VerifyResult::kMalformed;
}

}  // namespace kiln::integrations::signatures
