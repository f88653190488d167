// Pure cryptography of provider integrations: inbound webhook signatures (Stripe, Razorpay, Shopify, Twilio,
// DocuSign, SendGrid), outbound request signing (AWS SigV4, RS256 JWT) and form encoding, checked against the
// vectors of docs/provider-apis.md Appendix A plus the wrong inputs each verifier must refuse.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cctype>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "core/form_encoding.hpp"
#include "modules/integrations/crypto/aws_sigv4.hpp"
#include "modules/integrations/crypto/jwt_rs256.hpp"
#include "modules/integrations/crypto/openssl_handles.hpp"
#include "modules/integrations/crypto/verify_result.hpp"
#include "modules/integrations/providers/docusign/docusign_connect_signature.hpp"
#include "modules/integrations/providers/razorpay/razorpay_signature.hpp"
#include "modules/integrations/providers/sendgrid/sendgrid_signature.hpp"
#include "modules/integrations/providers/shopify/shopify_signature.hpp"
#include "modules/integrations/providers/stripe/stripe_signature.hpp"
#include "modules/integrations/providers/twilio/twilio_signature.hpp"

namespace kiln::integrations::signatures {
namespace {

using namespace std::chrono_literals;
using Params = std::vector<std::pair<std::string, std::string>>;

std::chrono::system_clock::time_point UnixSeconds(int64_t seconds) {
    return std::chrono::system_clock::time_point{std::chrono::seconds{seconds}};
}

// --- core additions -------------------------------------------------------------------------------------------

TEST(CryptoAdditions, DigestsMatchPublishedVectors) {
    // FIPS 180-2 "abc" and RFC 2202 test case 2.
    EXPECT_EQ(crypto::HexEncode(crypto::Sha256("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(crypto::HexEncode(crypto::HmacSha1("Jefe", "what do ya want for nothing?")),
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(CryptoAdditions, Base64DecodeIsStrict) {
    std::string out;
    EXPECT_TRUE(crypto::Base64Decode("aGk=", out));
    EXPECT_EQ(out, "hi");
    EXPECT_TRUE(crypto::Base64Decode("", out));
    EXPECT_EQ(out, "");
    EXPECT_TRUE(crypto::Base64Decode("+/8=", out));  // standard alphabet
    EXPECT_EQ(out, "\xfb\xff");
    EXPECT_FALSE(crypto::Base64Decode("aGk", out));    // padding missing
    EXPECT_FALSE(crypto::Base64Decode("aGk==", out));  // too much padding
    EXPECT_FALSE(crypto::Base64Decode("-_8=", out));   // URL-safe alphabet
    EXPECT_FALSE(crypto::Base64Decode("aGk=!", out));  // trailing garbage
    EXPECT_FALSE(crypto::Base64Decode("aGk= ", out));
    EXPECT_EQ(crypto::Base64Encode("hi"), "aGk=");
}

TEST(VerifyResultNames, AreStableLabels) {
    EXPECT_STREQ(VerifyResultName(VerifyResult::kValid), "valid");
    EXPECT_STREQ(VerifyResultName(VerifyResult::kMissing), "missing_signature");
    EXPECT_STREQ(VerifyResultName(VerifyResult::kMalformed), "malformed_signature");
    EXPECT_STREQ(VerifyResultName(VerifyResult::kStale), "stale_timestamp");
    EXPECT_STREQ(VerifyResultName(VerifyResult::kMismatch), "signature_mismatch");
}

// --- form encoding --------------------------------------------------------------------------------------------

TEST(FormEncoding, RoundTripsBracketsSpacesPlusAndUtf8) {
    const Params pairs = {{"a[b]", "c"}, {"description", "two words"}, {"phone", "+12349013030"}, {"name", "Zoë 東京"},
                          {"empty", ""}, {"a[b]", "repeated"}};
    const std::string encoded = FormUrlEncode(pairs);
    EXPECT_EQ(encoded,
              "a%5Bb%5D=c&description=two%20words&phone=%2B12349013030&name=Zo%C3%AB%20%E6%9D%B1%E4%BA%AC&empty="
              "&a%5Bb%5D=repeated");
    EXPECT_EQ(ParseFormUrlEncoded(encoded), pairs);
}

TEST(FormEncoding, ParsesWhatBrowsersAndProvidersSend) {
    EXPECT_EQ(ParseFormUrlEncoded("a[b]=c&x=1+2&y=%2b&flag&&z=a=b"),
              (Params{{"a[b]", "c"}, {"x", "1 2"}, {"y", "+"}, {"flag", ""}, {"z", "a=b"}}));
    EXPECT_TRUE(ParseFormUrlEncoded("").empty());
    EXPECT_EQ(FormUrlEncode({{"safe", "AZaz09-_.~"}, {"slash", "/"}}), "safe=AZaz09-_.~&slash=%2F");
}

TEST(FormEncoding, MalformedEscapesThrow) {
    EXPECT_THROW(ParseFormUrlEncoded("a=%zz"), std::invalid_argument);
    EXPECT_THROW(ParseFormUrlEncoded("a=%2"), std::invalid_argument);
    EXPECT_THROW(ParseFormUrlEncoded("a%=1"), std::invalid_argument);
    EXPECT_THROW(ParseFormUrlEncoded("a=%"), std::invalid_argument);
}

// --- AWS SigV4 ------------------------------------------------------------------------------------------------

SigV4Request ListUsersRequest() {
    SigV4Request request;
    request.method = "GET";
    request.path = "/";
    request.query = "Action=ListUsers&Version=2010-05-08";
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                       {"Host", "iam.amazonaws.com"}};
    return request;
}

const SigV4Credentials kAwsExampleCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};

std::chrono::system_clock::time_point AwsExampleTime() {
    using namespace std::chrono;
    return sys_days{year{2015} / August / 30} + 12h + 36min;
}

TEST(AwsSigV4, MatchesTheIamListUsersExample) {
    const SigV4Signature sig = SignV4(ListUsersRequest(), kAwsExampleCredentials, "us-east-1", "iam", AwsExampleTime());
    EXPECT_EQ(sig.amz_date, "20150830T123600Z");
    EXPECT_EQ(sig.payload_hash, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sig.signed_headers, "content-type;host;x-amz-date");
    EXPECT_EQ(sig.canonical_request,
              "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
              "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\n"
              "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sig.string_to_sign,
              "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
              "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
    EXPECT_EQ(sig.authorization,
              "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
              "SignedHeaders=content-type;host;x-amz-date, "
              "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(AwsSigV4, CanonicalisesQueryAndHeaders) {
    SigV4Request request = ListUsersRequest();
    // Unsorted, one value already encoded and one raw: both canonicalise the same way as AWS does.
    request.query = "Version=2010-05-08&Action=ListUsers";
    request.headers = {{"  HOST ", "  iam.amazonaws.com  "},
                       {"content-type", "application/x-www-form-urlencoded;   charset=utf-8"}};
    const SigV4Signature sig = SignV4(request, kAwsExampleCredentials, "us-east-1", "iam", AwsExampleTime());
    EXPECT_TRUE(
        sig.authorization.ends_with("Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"));

    request.query = "b=x%20y&a=x y&c=%7E~&d";
    const SigV4Signature encoded = SignV4(request, kAwsExampleCredentials, "us-east-1", "iam", AwsExampleTime());
    EXPECT_NE(encoded.canonical_request.find("\na=x%20y&b=x%20y&c=~~&d=\n"), std::string::npos);
    EXPECT_EQ(PercentEncode("/a b/ü~", true), "/a%20b/%C3%BC~");
    EXPECT_EQ(PercentEncode("/a b", false), "%2Fa%20b");
}

TEST(AwsSigV4, SignsTheSessionTokenAndRefusesWrongUsage) {
    SigV4Credentials temporary = kAwsExampleCredentials;
    temporary.session_token = "token/with+chars";
    const SigV4Signature sig = SignV4(ListUsersRequest(), temporary, "us-east-1", "iam", AwsExampleTime());
    EXPECT_EQ(sig.signed_headers, "content-type;host;x-amz-date;x-amz-security-token");
    EXPECT_NE(sig.canonical_request.find("x-amz-security-token:token/with+chars\n"), std::string::npos);

    SigV4Request no_host = ListUsersRequest();
    no_host.headers.pop_back();
    EXPECT_THROW(SignV4(no_host, kAwsExampleCredentials, "us-east-1", "iam", AwsExampleTime()), std::invalid_argument);
    SigV4Request own_date = ListUsersRequest();
    own_date.headers.emplace_back("X-Amz-Date", "20150830T123600Z");
    EXPECT_THROW(SignV4(own_date, kAwsExampleCredentials, "us-east-1", "iam", AwsExampleTime()), std::invalid_argument);
    SigV4Request bad_query = ListUsersRequest();
    bad_query.query = "a=%zz";
    EXPECT_THROW(SignV4(bad_query, kAwsExampleCredentials, "us-east-1", "iam", AwsExampleTime()),
                 std::invalid_argument);
}

TEST(AwsSigV4, SesRequestWithBody) {
    SigV4Request request;
    request.method = "POST";
    request.path = "/v2/email/outbound-emails";
    request.headers = {{"Host", "email.eu-west-1.amazonaws.com"}, {"Content-Type", "application/json"}};
    request.body = "{}";
    const SigV4Signature sig = SignV4(request, kAwsExampleCredentials, "eu-west-1", "ses", AwsExampleTime());
    EXPECT_EQ(sig.payload_hash, crypto::Sha256Hex("{}"));
    EXPECT_TRUE(
        sig.canonical_request.starts_with("POST\n/v2/email/outbound-emails\n\ncontent-type:application/json\n"));
    EXPECT_TRUE(
        sig.authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/ses/aws4_request, "
                                      "SignedHeaders=content-type;host;x-amz-date, Signature="));
}

// --- Stripe ---------------------------------------------------------------------------------------------------

constexpr std::string_view kStripeBody = R"({"id":"evt_test","type":"payment_intent.succeeded"})";
constexpr std::string_view kStripeV1 = "1fa069bafb0fb0ec61ca8e80964ba68904130b9623f205d87d85ad75d5de7d02";
const std::vector<std::string> kStripeSecrets{"whsec_test_secret"};

TEST(StripeSignature, MatchesTheVector) {
    const std::string header = "t=1700000000,v1=" + std::string(kStripeV1);
    EXPECT_EQ(StripeSignatureHeader("whsec_test_secret", kStripeBody, 1700000000), header);
    EXPECT_EQ(VerifyStripeSignature(header, kStripeBody, kStripeSecrets, UnixSeconds(1700000000)),
              VerifyResult::kValid);
    // Several v1 while Stripe rolls the secret, and other schemes, are fine.
    EXPECT_EQ(VerifyStripeSignature("t=1700000000,v1=00ff,v0=abc,v1=" + std::string(kStripeV1), kStripeBody,
                                    kStripeSecrets, UnixSeconds(1700000100)),
              VerifyResult::kValid);
}

TEST(StripeSignature, RotationTamperingAndWrongSecret) {
    const std::string header = StripeSignatureHeader("whsec_new", kStripeBody, 1700000000);
    const auto now = UnixSeconds(1700000000);
    EXPECT_EQ(VerifyStripeSignature(header, kStripeBody, {"whsec_old", "whsec_new"}, now), VerifyResult::kValid);
    EXPECT_EQ(VerifyStripeSignature(header, kStripeBody, {"whsec_old"}, now), VerifyResult::kMismatch);
    EXPECT_EQ(VerifyStripeSignature(header, std::string(kStripeBody) + " ", {"whsec_new"}, now),
              VerifyResult::kMismatch);
    EXPECT_EQ(VerifyStripeSignature(header, kStripeBody, {}, now), VerifyResult::kMismatch);
    // The timestamp is signed: moving it breaks the signature.
    EXPECT_EQ(VerifyStripeSignature("t=1700000001,v1=" + std::string(kStripeV1), kStripeBody, kStripeSecrets, now),
              VerifyResult::kMismatch);
}

TEST(StripeSignature, StaleAndFutureTimestamps) {
    const std::string header = "t=1700000000,v1=" + std::string(kStripeV1);
    EXPECT_EQ(VerifyStripeSignature(header, kStripeBody, kStripeSecrets, UnixSeconds(1700000300)),
              VerifyResult::kValid);
    EXPECT_EQ(VerifyStripeSignature(header, kStripeBody, kStripeSecrets, UnixSeconds(1700000301)),
              VerifyResult::kStale);
    EXPECT_EQ(VerifyStripeSignature(header, kStripeBody, kStripeSecrets, UnixSeconds(1699999700)),
              VerifyResult::kValid);
    EXPECT_EQ(VerifyStripeSignature(header, kStripeBody, kStripeSecrets, UnixSeconds(1699999699)),
              VerifyResult::kStale);
    EXPECT_EQ(VerifyStripeSignature(header, kStripeBody, kStripeSecrets, UnixSeconds(1700000060), 30s),
              VerifyResult::kStale);
}

TEST(StripeSignature, MissingAndMalformedHeaders) {
    const auto now = UnixSeconds(1700000000);
    EXPECT_EQ(VerifyStripeSignature("", kStripeBody, kStripeSecrets, now), VerifyResult::kMissing);
    for (const std::string& header : std::vector<std::string>{
             "garbage", "t=1700000000", "v1=" + std::string(kStripeV1), "t=abc,v1=" + std::string(kStripeV1),
             "t=-1,v1=" + std::string(kStripeV1), "t=1700000000,t=1700000000,v1=" + std::string(kStripeV1),
             "t=99999999999999999999999,v1=" + std::string(kStripeV1), "t=1700000000,v0=" + std::string(kStripeV1)}) {
        EXPECT_EQ(VerifyStripeSignature(header, kStripeBody, kStripeSecrets, now), VerifyResult::kMalformed) << header;
    }
}

// --- Razorpay -------------------------------------------------------------------------------------------------

TEST(RazorpaySignature, PaymentCallbackVector) {
    constexpr std::string_view kSignature = "d57d070c8a441a8b72a3de9e6d338cd544913cbb44162a814d741042ba9d9643";
    EXPECT_EQ(RazorpaySignature("test_key_secret", "order_IluGWxBm9U8zJ8|pay_29QQoUBi66xm2f"), kSignature);
    EXPECT_TRUE(VerifyRazorpayPayment("order_IluGWxBm9U8zJ8", "pay_29QQoUBi66xm2f", kSignature, "test_key_secret"));
    EXPECT_FALSE(VerifyRazorpayPayment("order_other", "pay_29QQoUBi66xm2f", kSignature, "test_key_secret"));
    EXPECT_FALSE(VerifyRazorpayPayment("order_IluGWxBm9U8zJ8", "pay_29QQoUBi66xm2f", kSignature, "wrong_secret"));
    EXPECT_FALSE(VerifyRazorpayPayment("order_IluGWxBm9U8zJ8", "pay_29QQoUBi66xm2f", "", "test_key_secret"));
    EXPECT_FALSE(
        VerifyRazorpayPayment("order_IluGWxBm9U8zJ8", "pay_29QQoUBi66xm2f", kSignature.substr(1), "test_key_secret"));
}

TEST(RazorpaySignature, WebhookVectorRotationAndFailures) {
    constexpr std::string_view kBody = R"({"entity":"event","event":"payment.captured"})";
    const std::string signature = "a438afc6ce7006ee9db518386b03fa11af0ca64eee8a8978885697e4065e9581";
    EXPECT_EQ(VerifyRazorpayWebhook(signature, kBody, {"test_webhook_secret"}), VerifyResult::kValid);
    EXPECT_EQ(VerifyRazorpayWebhook(signature, kBody, {"old", "test_webhook_secret"}), VerifyResult::kValid);
    EXPECT_EQ(VerifyRazorpayWebhook(signature, kBody, {"test_key_secret"}), VerifyResult::kMismatch);
    EXPECT_EQ(VerifyRazorpayWebhook(signature, std::string(kBody) + "\n", {"test_webhook_secret"}),
              VerifyResult::kMismatch);
    EXPECT_EQ(VerifyRazorpayWebhook("", kBody, {"test_webhook_secret"}), VerifyResult::kMissing);
    EXPECT_EQ(VerifyRazorpayWebhook("not-hex", kBody, {"test_webhook_secret"}), VerifyResult::kMalformed);
    std::string upper = signature;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(VerifyRazorpayWebhook(upper, kBody, {"test_webhook_secret"}), VerifyResult::kMalformed);
    EXPECT_EQ(VerifyRazorpayWebhook(signature + "00", kBody, {"test_webhook_secret"}), VerifyResult::kMalformed);
}

// --- Shopify --------------------------------------------------------------------------------------------------

TEST(ShopifySignature, VectorRotationAndFailures) {
    constexpr std::string_view kBody = R"({"id":820982911946154508})";
    constexpr std::string_view kHeader = "2WxsNdxGjFdyKbRGIdk6ZI2H/pCEQg6Tm95USZl6874=";
    EXPECT_EQ(VerifyShopifyWebhook(kHeader, kBody, {"test_client_secret"}), VerifyResult::kValid);
    EXPECT_EQ(VerifyShopifyWebhook(kHeader, kBody, {"rotated", "test_client_secret"}), VerifyResult::kValid);
    EXPECT_EQ(VerifyShopifyWebhook(kHeader, kBody, {"wrong"}), VerifyResult::kMismatch);
    EXPECT_EQ(VerifyShopifyWebhook(kHeader, R"({"id":820982911946154509})", {"test_client_secret"}),
              VerifyResult::kMismatch);
    EXPECT_EQ(VerifyShopifyWebhook("", kBody, {"test_client_secret"}), VerifyResult::kMissing);
    EXPECT_EQ(VerifyShopifyWebhook("%%%not base64", kBody, {"test_client_secret"}), VerifyResult::kMalformed);
    EXPECT_EQ(VerifyShopifyWebhook("aGk=", kBody, {"test_client_secret"}), VerifyResult::kMalformed);  // 2 bytes
}

// --- Twilio ---------------------------------------------------------------------------------------------------

const Params kTwilioParams = {{"To", "+18005551212"},
                              {"CallSid", "CA1234567890ABCDE"},
                              {"Digits", "1234"},
                              {"Caller", "+12349013030"},
                              {"From", "+12349013030"}};
constexpr std::string_view kTwilioUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
constexpr std::string_view kTwilioSignature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

TEST(TwilioSignature, MatchesTheVectorWhateverTheParamOrder) {
    EXPECT_EQ(TwilioSignature("12345", kTwilioUrl, kTwilioParams), kTwilioSignature);
    EXPECT_EQ(VerifyTwilioSignature(kTwilioSignature, kTwilioUrl, kTwilioParams, {"12345"}), VerifyResult::kValid);
    EXPECT_EQ(VerifyTwilioSignature(kTwilioSignature, kTwilioUrl, kTwilioParams, {"old", "12345"}),
              VerifyResult::kValid);
}

TEST(TwilioSignature, AcceptsTheDefaultPortEitherWay) {
    EXPECT_EQ(VerifyTwilioSignature(kTwilioSignature, "https://mycompany.com:443/myapp.php?foo=1&bar=2", kTwilioParams,
                                    {"12345"}),
              VerifyResult::kValid);
    const std::string with_port =
        TwilioSignature("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", kTwilioParams);
    EXPECT_EQ(VerifyTwilioSignature(with_port, kTwilioUrl, kTwilioParams, {"12345"}), VerifyResult::kValid);
    const std::string http = TwilioSignature("12345", "http://mycompany.com:80/hook", {});
    EXPECT_EQ(VerifyTwilioSignature(http, "http://mycompany.com/hook", {}, {"12345"}), VerifyResult::kValid);
    // Only the scheme's own default port is interchangeable.
    EXPECT_EQ(VerifyTwilioSignature(kTwilioSignature, "https://mycompany.com:80/myapp.php?foo=1&bar=2", kTwilioParams,
                                    {"12345"}),
              VerifyResult::kMismatch);
    EXPECT_EQ(VerifyTwilioSignature(kTwilioSignature, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", kTwilioParams,
                                    {"12345"}),
              VerifyResult::kMismatch);
}

TEST(TwilioSignature, RejectsTamperingAndBadHeaders) {
    Params tampered = kTwilioParams;
    tampered[2].second = "9999";
    EXPECT_EQ(VerifyTwilioSignature(kTwilioSignature, kTwilioUrl, tampered, {"12345"}), VerifyResult::kMismatch);
    EXPECT_EQ(VerifyTwilioSignature(kTwilioSignature, "https://mycompany.com/myapp.php?foo=1&bar=3", kTwilioParams,
                                    {"12345"}),
              VerifyResult::kMismatch);
    EXPECT_EQ(VerifyTwilioSignature(kTwilioSignature, kTwilioUrl, kTwilioParams, {"54321"}), VerifyResult::kMismatch);
    EXPECT_EQ(VerifyTwilioSignature("", kTwilioUrl, kTwilioParams, {"12345"}), VerifyResult::kMissing);
    EXPECT_EQ(VerifyTwilioSignature("not base64!", kTwilioUrl, kTwilioParams, {"12345"}), VerifyResult::kMalformed);
    EXPECT_EQ(VerifyTwilioSignature("aGk=", kTwilioUrl, kTwilioParams, {"12345"}), VerifyResult::kMalformed);
}

TEST(TwilioSignature, VerifiesParamsParsedFromTheRawBody) {
    const Params params = ParseFormUrlEncoded(
        "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212");
    EXPECT_EQ(VerifyTwilioSignature(kTwilioSignature, kTwilioUrl, params, {"12345"}), VerifyResult::kValid);
}

// --- DocuSign -------------------------------------------------------------------------------------------------

TEST(DocuSignSignature, AnyHeaderAgainstAnyKey) {
    constexpr std::string_view kBody = R"({"event":"envelope-completed"})";
    const std::string good = "WkrxwrqqXvHHwBZKgcPOBFsJZa76eSXA9uFGBWoO1A0=";
    const std::string other = crypto::Base64Encode(crypto::HmacSha256("someone_elses_key", kBody));
    EXPECT_EQ(VerifyDocuSignSignatures({good}, kBody, {"test_connect_key"}), VerifyResult::kValid);
    EXPECT_EQ(VerifyDocuSignSignatures({other, good}, kBody, {"rotated", "test_connect_key"}), VerifyResult::kValid);
    EXPECT_EQ(VerifyDocuSignSignatures({"garbage", good}, kBody, {"test_connect_key"}), VerifyResult::kValid);
    EXPECT_EQ(VerifyDocuSignSignatures({good}, kBody, {"wrong"}), VerifyResult::kMismatch);
    EXPECT_EQ(VerifyDocuSignSignatures({good}, R"({"event":"envelope-voided"})", {"test_connect_key"}),
              VerifyResult::kMismatch);
    EXPECT_EQ(VerifyDocuSignSignatures({}, kBody, {"test_connect_key"}), VerifyResult::kMissing);
    EXPECT_EQ(VerifyDocuSignSignatures({""}, kBody, {"test_connect_key"}), VerifyResult::kMissing);
    EXPECT_EQ(VerifyDocuSignSignatures({"garbage"}, kBody, {"test_connect_key"}), VerifyResult::kMalformed);
}

// --- SendGrid -------------------------------------------------------------------------------------------------

constexpr std::string_view kSendGridKey =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/"
    "1FwCM/QmGUhA==";
constexpr std::string_view kSendGridTimestamp = "1588788367";
constexpr std::string_view kSendGridBody =
    R"({"category":"example_payload","event":"test_event","message_id":"message_id"})";
constexpr std::string_view kSendGridSignature =
    "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=";

TEST(SendGridSignature, MatchesTheSdkVector) {
    const std::vector<std::string> keys{std::string(kSendGridKey)};
    const auto now = UnixSeconds(1588788367);
    EXPECT_EQ(VerifySendGridSignature(kSendGridSignature, kSendGridTimestamp, kSendGridBody, keys, now),
              VerifyResult::kValid);
    EXPECT_EQ(VerifySendGridSignature(kSendGridSignature, kSendGridTimestamp, "payload", keys, now),
              VerifyResult::kMismatch);
    EXPECT_EQ(VerifySendGridSignature(kSendGridSignature, "1588788368", kSendGridBody, keys, now),
              VerifyResult::kMismatch);
}

TEST(SendGridSignature, StaleMissingMalformedAndBadKeys) {
    const std::vector<std::string> keys{std::string(kSendGridKey)};
    EXPECT_EQ(VerifySendGridSignature(kSendGridSignature, kSendGridTimestamp, kSendGridBody, keys,
                                      UnixSeconds(1588788367 + 301)),
              VerifyResult::kStale);
    const auto now = UnixSeconds(1588788367);
    EXPECT_EQ(VerifySendGridSignature("", kSendGridTimestamp, kSendGridBody, keys, now), VerifyResult::kMissing);
    EXPECT_EQ(VerifySendGridSignature(kSendGridSignature, "", kSendGridBody, keys, now), VerifyResult::kMissing);
    EXPECT_EQ(VerifySendGridSignature(kSendGridSignature, "soon", kSendGridBody, keys, now), VerifyResult::kMalformed);
    EXPECT_EQ(VerifySendGridSignature("***", kSendGridTimestamp, kSendGridBody, keys, now), VerifyResult::kMalformed);
    // Base64 that is not a DER signature.
    EXPECT_EQ(VerifySendGridSignature("aGk=", kSendGridTimestamp, kSendGridBody, keys, now), VerifyResult::kMismatch);
    // Unparseable keys are skipped, never fatal; a good key after them still verifies.
    const std::vector<std::string> bad_keys{"", "not base64", "bm90IGEga2V5", std::string(kSendGridKey).substr(0, 40)};
    EXPECT_EQ(VerifySendGridSignature(kSendGridSignature, kSendGridTimestamp, kSendGridBody, bad_keys, now),
              VerifyResult::kMismatch);
    std::vector<std::string> with_good = bad_keys;
    with_good.emplace_back(kSendGridKey);
    EXPECT_EQ(VerifySendGridSignature(kSendGridSignature, kSendGridTimestamp, kSendGridBody, with_good, now),
              VerifyResult::kValid);
    EXPECT_EQ(VerifySendGridSignature(kSendGridSignature, kSendGridTimestamp, kSendGridBody, {}, now),
              VerifyResult::kMismatch);
}

// --- RS256 JWT ------------------------------------------------------------------------------------------------

std::string PrivateKeyPem(EVP_PKEY* key) {
    const BioPtr bio(BIO_new(BIO_s_mem()));
    EXPECT_EQ(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), 1);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return {data, static_cast<size_t>(size)};
}

bool VerifyRs256(EVP_PKEY* public_key, std::string_view signing_input, std::string_view signature) {
    const EvpMdCtxPtr context(EVP_MD_CTX_new());
    return EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, public_key) == 1 &&
           EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                            reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
}

TEST(JwtRs256, SignsAndVerifiesWithThePublicKey) {
    const EvpPkeyPtr key(EVP_RSA_gen(2048));
    ASSERT_TRUE(key);
    const std::string pem = PrivateKeyPem(key.get());
    EXPECT_TRUE(IsRsaPrivateKeyPem(pem));

    const nlohmann::json claims = {
        {"iss", "integration-key"}, {"sub", "user-guid"}, {"aud", "account-d.docusign.com"},
        {"iat", 1700000000},        {"exp", 1700003600},  {"scope", "signature impersonation"}};
    const std::string jwt = SignJwtRs256({{"kid", "k1"}, {"alg", "none"}}, claims, pem);

    const size_t first = jwt.find('.');
    const size_t second = jwt.find('.', first + 1);
    ASSERT_NE(second, std::string::npos);
    EXPECT_EQ(jwt.find('.', second + 1), std::string::npos);
    EXPECT_EQ(jwt.find('='), std::string::npos);  // base64url without padding

    std::string header;
    std::string payload;
    std::string signature;
    ASSERT_TRUE(crypto::Base64UrlDecode(jwt.substr(0, first), header));
    ASSERT_TRUE(crypto::Base64UrlDecode(jwt.substr(first + 1, second - first - 1), payload));
    ASSERT_TRUE(crypto::Base64UrlDecode(jwt.substr(second + 1), signature));
    EXPECT_EQ(nlohmann::json::parse(header), (nlohmann::json{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "k1"}}));
    EXPECT_EQ(nlohmann::json::parse(payload), claims);
    EXPECT_EQ(signature.size(), 256U);

    // Verify with the public half only, as the provider does.
    const BioPtr public_bio(BIO_new(BIO_s_mem()));
    ASSERT_EQ(PEM_write_bio_PUBKEY(public_bio.get(), key.get()), 1);
    const EvpPkeyPtr public_key(PEM_read_bio_PUBKEY(public_bio.get(), nullptr, nullptr, nullptr));
    ASSERT_TRUE(public_key);
    EXPECT_TRUE(VerifyRs256(public_key.get(), jwt.substr(0, second), signature));
    EXPECT_FALSE(VerifyRs256(public_key.get(), jwt.substr(0, second) + "x", signature));
}

TEST(JwtRs256, RejectsWhatIsNotAnRsaPrivateKey) {
    const EvpPkeyPtr ec_key(EVP_EC_gen("P-256"));
    ASSERT_TRUE(ec_key);
    const std::string ec_pem = PrivateKeyPem(ec_key.get());
    EXPECT_FALSE(IsRsaPrivateKeyPem(ec_pem));
    EXPECT_FALSE(IsRsaPrivateKeyPem(""));
    EXPECT_FALSE(IsRsaPrivateKeyPem("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n"));
    try {
        (void)SignJwtRs256(nullptr, {{"iss", "x"}}, ec_pem);
        ADD_FAILURE() << "an EC key must be refused";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "not a valid RSA private key in PEM");
    }
    EXPECT_THROW((void)SignJwtRs256(nullptr, {{"iss", "x"}}, "garbage"), std::invalid_argument);

    // An encrypted PEM is refused without prompting for a password on the terminal.
    const EvpPkeyPtr rsa_key(EVP_RSA_gen(2048));
    ASSERT_TRUE(rsa_key);
    const BioPtr bio(BIO_new(BIO_s_mem()));
    std::string passphrase = "passphrase";
    ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(bio.get(), rsa_key.get(), EVP_aes_256_cbc(), passphrase.data(),
                                            static_cast<int>(passphrase.size()), nullptr, nullptr),
              1);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    EXPECT_FALSE(IsRsaPrivateKeyPem(std::string(data, static_cast<size_t>(size))));

    const std::string rsa_pem = PrivateKeyPem(rsa_key.get());
    EXPECT_THROW((void)SignJwtRs256(nlohmann::json::array(), {{"iss", "x"}}, rsa_pem), std::invalid_argument);
    EXPECT_THROW((void)SignJwtRs256(nullptr, "claims", rsa_pem), std::invalid_argument);
}

}  // namespace
}  // namespace kiln::integrations::signatures
