#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "modules/integrations/crypto/verify_result.hpp"

namespace kiln::integrations::signatures {

/// `X-Twilio-Signature` value: base64(HMAC-SHA1(auth token, url + name1 + value1 + name2 + value2 …)) with the POST
/// parameters sorted by name, then value (repeated names each contribute name + value).
std::string TwilioSignature(std::string_view auth_token, std::string_view url,
                            const std::vector<std::pair<std::string, std::string>>& post_params);

/// Checks `X-Twilio-Signature` for the public URL Twilio called and its decoded POST parameters against each token
/// (primary and secondary during a rotation). Like twilio-node, the URL is tried as given, and with the default
/// port (:443 for https, :80 for http) added or removed, because proxies change which form is visible.
VerifyResult VerifyTwilioSignature(std::string_view header, std::string_view url,
                                   const std::vector<std::pair<std::string, std::string>>& params,
                                   const std::vector<std::string>& tokens);

}  // namespace kiln::integrations::signatures
