// Signature requests through the real binary against a local DocuSign (tests/integration/fake_providers):
// the JWT grant, a valid envelope with DocuSign's string ids and routing orders, the stored request, and a
// refresh that takes the provider's status forward only.
#include <unistd.h>

#include "api_fixture.hpp"
#include "fake_providers/fake_docusign.hpp"
#include "fake_providers/fake_util.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

const std::string kIntegrationKey = "7c2b8d7e-83c3-4940-af5e-cda8a50dd73f";
const std::string kUserId = "4f1e2d3c-1111-4222-8333-944455556666";
const std::string kAccountId = "0d4c3b2a-7777-4888-9999-aaaabbbbcccc";

class SignatureRequests : public ApiTest {
  protected:
    void SetUp() override {
        static const auto keys = FakeDocuSign::GenerateRsaKeyPair();
        private_key_ = keys.first;
        fake_ = std::make_unique<FakeDocuSign>(kIntegrationKey, kUserId, kAccountId, keys.second);
        const auto created = http_.Post(Url("/integrations"),
                                        json{{"type", "docusign"},
                                             {"name", "DocuSign " + std::to_string(::getpid())},
                                             {"is_default", true},
                                             {"config",
                                              {{"integration_key", kIntegrationKey},
                                               {"user_id", kUserId},
                                               {"account_id", kAccountId},
                                               {"private_key", private_key_}}}},
                                        As(a_owner_));
        ASSERT_EQ(created.status, 201) << created.body;
        integration_id_ = created.Json()["id"];
        PointAt(integration_id_, fake_->base_url() + "/restapi", fake_->base_url());
    }

    static json Body() {
        return {
            {"subject", "Please sign SO-1001"},
            {"message", "Our order confirmation, for your signature."},
            {"documents", {{{"name", "SO-1001.pdf"}, {"content_base64", fakeutil::Base64Encode("%PDF-1.4 /sig1/")}}}},
            {"signers",
             {{{"email", "buyer@example.com"}, {"name", "Buyer One"}, {"routing_order", 1}},
              {{"email", "cfo@example.com"}, {"name", "Chief Finance"}, {"routing_order", 2}}}},
            {"entity_type", "sales_order"},
            {"entity_id", "SO-1001"}};
    }

    std::string private_key_;
    std::unique_ptr<FakeDocuSign> fake_;
    std::string integration_id_;
};

TEST_F(SignatureRequests, CreatingSendsAValidEnvelopeAndRefreshTakesTheProviderStatusForward) {
    const auto response = http_.Post(Url("/signature-requests"), Body(), As(a_owner_));
    ASSERT_EQ(response.status, 201) << response.body << server_->Output();
    const json request = response.Json();
    EXPECT_EQ(request["status"], "sent");
    EXPECT_EQ(request["integration_id"], integration_id_);
    EXPECT_EQ(request["subject"], "Please sign SO-1001");
    EXPECT_EQ(request["documents"], (json{{{"name", "SO-1001.pdf"}}}));
    EXPECT_EQ(request["signers"][1],
              (json{{"email", "cfo@example.com"}, {"name", "Chief Finance"}, {"routing_order", 2}}));
    EXPECT_EQ(request["entity_type"], "sales_order");
    EXPECT_EQ(request["entity_id"], "SO-1001");
    EXPECT_TRUE(request["completed_at"].is_null());

    const std::string envelope_id = request["envelope_id"];
    const auto envelopes = fake_->envelopes();
    ASSERT_TRUE(envelopes.contains(envelope_id)) << request;
    const json& envelope = envelopes.at(envelope_id);
    EXPECT_EQ(envelope["emailSubject"], "Please sign SO-1001");
    EXPECT_EQ(envelope["status"], "sent");
    ASSERT_EQ(envelope["documents"].size(), 1U);
    EXPECT_EQ(envelope["documents"][0]["name"], "SO-1001.pdf");
    EXPECT_EQ(envelope["documents"][0]["documentBase64"], fakeutil::Base64Encode("%PDF-1.4 /sig1/"));
    const json& signers = envelope["recipients"]["signers"];
    ASSERT_EQ(signers.size(), 2U);
    // DocuSign wants ids and routing orders as JSON strings.
    EXPECT_EQ(signers[0]["routingOrder"], "1");
    EXPECT_EQ(signers[1]["routingOrder"], "2");
    EXPECT_EQ(signers[1]["recipientId"], "2");
    EXPECT_EQ(signers[1]["email"], "cfo@example.com");
    EXPECT_EQ(fake_->tokens_issued(), 1);

    const std::string id = request["id"];
    EXPECT_EQ(http_.Get(Url("/signature-requests/" + id), As(a_owner_)).Json(), request);
    EXPECT_EQ(http_.Get(Url("/signature-requests/" + id), As(b_owner_)).status, 404);

    fake_->SetEnvelopeStatus(envelope_id, "completed");
    const auto refreshed = http_.Post(Url("/signature-requests/" + id + "/refresh"), "", As(a_owner_));
    ASSERT_EQ(refreshed.status, 200) << refreshed.body;
    EXPECT_EQ(refreshed.Json()["status"], "completed");
    EXPECT_FALSE(refreshed.Json()["completed_at"].is_null());

    // A provider answer that would move it back changes nothing.
    fake_->SetEnvelopeStatus(envelope_id, "delivered");
    const auto again = http_.Post(Url("/signature-requests/" + id + "/refresh"), "", As(a_owner_));
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.Json()["status"], "completed");
    EXPECT_EQ(again.Json()["completed_at"], refreshed.Json()["completed_at"]);
    EXPECT_EQ(http_.Post(Url("/signature-requests/" + id + "/refresh"), "", As(b_owner_)).status, 404);
    EXPECT_EQ(fake_->tokens_issued(), 1);  // the minted token is reused
    EXPECT_TRUE(fake_->violations().empty()) << fake_->violations().front();
}

TEST_F(SignatureRequests, InvalidRequestsAndProviderRefusalsStoreNothing) {
    json body = Body();
    body["documents"] = json::array();
    body["signers"] = json::array();
    EXPECT_EQ(FieldErrors(http_.Post(Url("/signature-requests"), body, As(a_owner_))),
              (std::vector<std::string>{"documents", "signers"}));
    body = Body();
    body["documents"][0]["content_base64"] = "not base64!";
    body["signers"][0]["routing_order"] = 0;
    EXPECT_EQ(FieldErrors(http_.Post(Url("/signature-requests"), body, As(a_owner_))),
              std::vector<std::string>{"signers[0].routing_order"});
    body["signers"][0]["routing_order"] = 1;
    EXPECT_EQ(FieldErrors(http_.Post(Url("/signature-requests"), body, As(a_owner_))),
              std::vector<std::string>{"documents[0].content_base64"});
    EXPECT_TRUE(fake_->requests().empty());

    // DocuSign refuses the grant (the first call of a new integration): nothing is sent, nothing stored.
    fake_->FailNext(1, Reply{400,
                             R"({"error":"invalid_grant","error_description":"no_valid_keys_or_signatures"})",
                             {{"Content-Type", "application/json"}}});
    const auto refused = http_.Post(Url("/signature-requests"), Body(), As(a_owner_));
    EXPECT_EQ(refused.status, 502) << refused.body;
    EXPECT_EQ(refused.body.find("PRIVATE KEY"), std::string::npos) << refused.body;
    EXPECT_TRUE(fake_->envelopes().empty());
    EXPECT_TRUE(fake_->violations().empty()) << fake_->violations().front();
}

// Issue 12, item 1: the REST host comes from DocuSign's userinfo, and the bearer token goes there only when it
// is DocuSign's own (https on docusign.net / docusign.com). The stand-in names itself (http://127.0.0.1:…), as a
// forged or man-in-the-middle answer could: without the operator's REST override, that host is refused.
TEST_F(SignatureRequests, AnAccountBaseUriThatIsNotDocuSignsIsRefused) {
    // The operator moves the OAuth host only.
    ASSERT_EQ(http_
                  .Put(Url("/admin/integrations/" + integration_id_ + "/endpoint"),
                       json{{"base_url", nullptr}, {"oauth_base_url", fake_->base_url()}}, As(a_owner_))
                  .status,
              200);
    const auto test = http_.Post(Url("/integrations/" + integration_id_ + "/test"), "", As(a_owner_));
    ASSERT_EQ(test.status, 200) << test.body;
    EXPECT_EQ(test.Json()["ok"], false) << test.body;
    EXPECT_NE(test.Json()["error"].get<std::string>().find("base_uri"), std::string::npos) << test.body;
    const auto sent = http_.Post(Url("/signature-requests"), Body(), As(a_owner_));
    EXPECT_GE(sent.status, 400) << sent.body;
    EXPECT_TRUE(fake_->envelopes().empty());
    for (const auto& request : fake_->requests())
        EXPECT_EQ(request.target.find("/restapi/"), std::string::npos) << request.target;  // only OAuth was asked
}

}  // namespace
}  // namespace kiln::testing
