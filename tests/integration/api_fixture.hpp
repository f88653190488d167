#pragma once

// One running Kiln shared by the tests of a suite, with two tenants to play with:
//   demo (A): owner@demo.kiln.local (owner, platform administrator), session token `a_owner`
//   beta (B): owner@beta.test (owner, no platform rights),           session token `b_owner`
// Starting the binary and hashing passwords (argon2id) is what costs time, so both happen once.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "kiln_process.hpp"

namespace kiln::testing {

inline constexpr const char* kDemoPassword = "demo-password-123";
inline constexpr const char* kBetaPassword = "beta-password-123";

/// What an operator does for a test server: sends one integration's provider calls to `base_url` (and
/// DocuSign's OAuth calls to `oauth_base_url`) instead of the provider's pinned hosts, through
/// PUT /admin/integrations/{id}/endpoint as a platform administrator. `api` is the server's
/// ".../api/v1". Returns the integration as the route answers it; fails the test on anything but 200.
nlohmann::json PointIntegrationAt(const std::string& api, const HeaderList& platform_admin,
                                  const std::string& integration_id, const std::string& base_url,
                                  const std::string& oauth_base_url = "");
/// The password AddMember's invitees choose when they accept.
inline constexpr const char* kMemberPassword = "member-password-1";

class ApiTest : public ::testing::Test {
  public:
    static void SetUpTestSuite();
    static void TearDownTestSuite();
    /// What SetUpTestSuite does with `environment` (KILN_DEMO_PASSWORD included): a server with the demo tenant
    /// and a second one ("beta"), each with its owner signed in. For suites that need another configuration.
    static void StartPlatform(const EnvMap& environment);

  protected:
    static std::string Url(const std::string& path) { return server_->base_url() + "/api/v1" + path; }
    static HeaderList As(const std::string& token, const std::string& tenant = "") {
        HeaderList headers{{"Authorization", "Bearer " + token}};
        if (!tenant.empty()) headers.emplace_back("X-Tenant-Id", tenant);
        return headers;
    }
    /// Signs in and returns the session token; fails the test on anything but 200.
    static std::string Login(const std::string& email, const std::string& password);
    /// Adds a member with a fresh account to `tenant` (as A's owner for demo, B's for beta):
    /// invites `email`, prints the link with `kiln admin invitation-link` and accepts it with the
    /// password kMemberPassword. Returns the new user's id.
    static std::string AddMember(const std::string& owner_token, const std::string& tenant, const std::string& email,
                                 const std::string& role);
    /// The token of the first `token=` link in `text` (a mail, the CLI's output); "" when none.
    static std::string InvitationToken(const std::string& text);

    /// PointIntegrationAt on the suite's server, as the demo owner (a platform administrator).
    static nlohmann::json PointAt(const std::string& integration_id, const std::string& base_url,
                                  const std::string& oauth_base_url = "") {
        return PointIntegrationAt(Url(""), As(a_owner_), integration_id, base_url, oauth_base_url);
    }

    /// The body of a 201 answer (and a failed expectation for any other).
    static nlohmann::json Created(const HttpResponse& response);
    /// An issued invoice of the demo tenant's `customer_id`: one line of `amount` minor units of `currency`, no tax.
    static nlohmann::json IssueInvoice(const std::string& customer_id, int64_t amount, const std::string& currency,
                                       const std::string& description);

    /// The `field` of every field error in a 422 problem, in order; empty for any other response.
    static std::vector<std::string> FieldErrors(const HttpResponse& response) {
        std::vector<std::string> fields;
        if (response.status != 422) return fields;
        for (const auto& e : response.Json().value("errors", nlohmann::json::array())) fields.push_back(e["field"]);
        return fields;
    }

    static std::unique_ptr<KilnProcess> server_;
    static std::string a_owner_, b_owner_;
    static std::string a_tenant_id_, b_tenant_id_;
    HttpClient http_;
};

}  // namespace kiln::testing
