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

class ApiTest : public ::testing::Test {
  public:
    static void SetUpTestSuite();
    static void TearDownTestSuite();

  protected:
    static std::string Url(const std::string& path) { return server_->base_url() + "/api/v1" + path; }
    static HeaderList As(const std::string& token, const std::string& tenant = "") {
        HeaderList headers{{"Authorization", "Bearer " + token}};
        if (!tenant.empty()) headers.emplace_back("X-Tenant-Id", tenant);
        return headers;
    }
    /// Signs in and returns the session token; fails the test on anything but 200.
    static std::string Login(const std::string& email, const std::string& password);
    /// Adds a member with a fresh account to `tenant` (as A's owner for demo, B's for beta).
    static std::string AddMember(const std::string& owner_token, const std::string& tenant, const std::string& email,
                                 const std::string& role);

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
