#pragma once

// A local Amazon SES v2 (https://email.{region}.amazonaws.com) for adapter tests: verifies AWS Signature V4
// with its own implementation (canonical request rebuilt from the request as received), and validates
// `POST /v2/email/outbound-emails` like SES, and answers `GET /v2/email/account`. Kiln's adapter talks to
// `{base_url()}/v2/email/outbound-emails`.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_util.hpp"

namespace kiln::testing {

class FakeSes : public FakeProviderBase {
  public:
    using Headers = std::vector<std::pair<std::string, std::string>>;

    FakeSes(std::string access_key_id, std::string secret_access_key, std::string region);
    ~FakeSes() override;

    /// Accepted SendEmail bodies, in order.
    std::vector<nlohmann::json> sent() const;
    /// The MessageId answered for each accepted send, parallel to sent().
    std::vector<std::string> message_ids() const;
    /// The decoded MIME message of sent()[i] when it used Content.Raw; nullopt otherwise.
    std::optional<std::string> decoded_raw(size_t i) const;

    // --- SigV4 (this fake's own implementation, following provider-apis.md §4) ---
    /// Method\nCanonicalURI\nCanonicalQuery\nCanonicalHeaders\nSignedHeaders\nhex(sha256(body)). `target` is the
    /// path and query as sent; `headers` as received (names any case; repeats joined with ',').
    static std::string CanonicalRequest(const std::string& method, const std::string& target, const Headers& headers,
                                        const std::vector<std::string>& signed_headers, const std::string& body);
    /// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256(canonical_request)>"; scope =
    /// date/region/service/aws4_request.
    static std::string StringToSign(const std::string& amz_date, const std::string& scope,
                                    const std::string& canonical_request);
    /// Raw kSigning = HMAC chain over ("AWS4"+secret, date, region, service, "aws4_request").
    static std::string SigningKey(const std::string& secret, const std::string& date, const std::string& region,
                                  const std::string& service);
    /// Lowercase hex HMAC-SHA256(SigningKey(...), string_to_sign).
    static std::string Signature(const std::string& secret, const std::string& date, const std::string& region,
                                 const std::string& service, const std::string& string_to_sign);
    /// A complete Authorization header value signing every header in `headers` (which must hold Host and
    /// X-Amz-Date; the date is read from X-Amz-Date). For tests that need a correctly signed request.
    static std::string AuthorizationHeader(const std::string& access_key_id, const std::string& secret,
                                           const std::string& region, const std::string& service,
                                           const std::string& method, const std::string& target, const Headers& headers,
                                           const std::string& body);
    /// UTC "YYYYMMDDTHHMMSSZ" for a unix time.
    static std::string AmzDate(int64_t unix_time);

  private:
    Reply Handle(const ReceivedRequest& request) override;
    std::optional<Reply> Authenticate(const ReceivedRequest& request);
    Reply AwsError(const ReceivedRequest& request, int status, const std::string& type, const std::string& message);

    std::string access_key_id_;
    std::string secret_access_key_;
    std::string region_;
    std::vector<nlohmann::json> sent_;
    std::vector<std::string> message_ids_;
    std::vector<std::optional<std::string>> decoded_raw_;
};

}  // namespace kiln::testing
