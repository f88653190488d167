// API tokens made by API tokens (issue 12, item 4): a token holding tokens:create must not mint a
// token wider than itself, in permissions or in lifetime. A token's child gets at most the
// caller's permissions (all of them when it asks for none) and expires no later than the caller.
#include <chrono>
#include <ctime>
#include <set>
#include <string>

#include "api_fixture.hpp"

namespace kiln::testing {
namespace {

using nlohmann::json;

class Tokens : public ApiTest {
  protected:
    /// A token of A's owner, made by the owner's session.
    json OwnerToken(const json& body) {
        const auto created = http_.Post(Url("/tokens"), body, As(a_owner_));
        EXPECT_EQ(created.status, 201) << created.body;
        return created.Json();
    }

    static std::set<std::string> Permissions(const json& token) {
        return token["permissions"].is_array() ? token["permissions"].get<std::set<std::string>>()
                                               : std::set<std::string>{"(all of the owner's)"};
    }

    /// An RFC 3339 instant `hours` from now, as Kiln prints them (with microseconds).
    static std::string InHours(int hours) {
        const std::time_t t =
            std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + std::chrono::hours(hours));
        char text[32];
        std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000000Z", std::gmtime(&t));
        return text;
    }
};

TEST_F(Tokens, ANarrowTokenCannotMintAWiderOne) {
    const std::string parent_expiry = InHours(2);
    const json parent = OwnerToken({{"name", "narrow parent"},
                                    {"permissions", {"tokens:create", "products:read"}},
                                    {"expires_at", parent_expiry}});
    const std::string narrow = parent["token"];

    // Asking for nothing gets the caller's own permissions and expiry, not the owner's full set forever.
    const auto child = http_.Post(Url("/tokens"), json{{"name", "child"}}, As(narrow));
    ASSERT_EQ(child.status, 201) << child.body;
    EXPECT_EQ(Permissions(child.Json()), (std::set<std::string>{"products:read", "tokens:create"})) << child.body;
    ASSERT_TRUE(child.Json()["expires_at"].is_string()) << child.body;
    EXPECT_LE(child.Json()["expires_at"].get<std::string>(), parent["expires_at"].get<std::string>());
    const std::string minted = child.Json()["token"];
    EXPECT_EQ(http_.Get(Url("/products"), As(minted)).status, 200);
    EXPECT_EQ(http_.Get(Url("/customers"), As(minted)).status, 403);
    EXPECT_EQ(http_.Get(Url("/members"), As(minted)).status, 403);
    EXPECT_EQ(http_.Post(Url("/customers"), json{{"name", "Minted"}}, As(minted)).status, 403);

    // A permission the caller lacks, even one its owner holds, is refused.
    const auto wider =
        http_.Post(Url("/tokens"), json{{"name", "wider"}, {"permissions", {"customers:read"}}}, As(narrow));
    EXPECT_EQ(FieldErrors(wider), std::vector<std::string>{"permissions[0]"}) << wider.body;
    // So is outliving the caller, or living forever.
    const auto longer = http_.Post(Url("/tokens"), json{{"name", "longer"}, {"expires_at", InHours(48)}}, As(narrow));
    EXPECT_EQ(FieldErrors(longer), std::vector<std::string>{"expires_at"}) << longer.body;
    // A shorter life than the caller's is fine.
    const auto shorter = http_.Post(Url("/tokens"), json{{"name", "shorter"}, {"expires_at", InHours(1)}}, As(narrow));
    ASSERT_EQ(shorter.status, 201) << shorter.body;
    EXPECT_LT(shorter.Json()["expires_at"].get<std::string>(), parent["expires_at"].get<std::string>());

    // The grandchild of the narrow token is no wider either.
    const auto grandchild = http_.Post(Url("/tokens"), json{{"name", "grandchild"}}, As(minted));
    ASSERT_EQ(grandchild.status, 201) << grandchild.body;
    EXPECT_EQ(Permissions(grandchild.Json()), (std::set<std::string>{"products:read", "tokens:create"}));
    EXPECT_LE(grandchild.Json()["expires_at"].get<std::string>(), parent["expires_at"].get<std::string>());
}

TEST_F(Tokens, ATokenWithoutExpiryMintsTokensWithinItsPermissions) {
    const json parent = OwnerToken({{"name", "no expiry"}, {"permissions", {"tokens:create", "customers:read"}}});
    const auto child = http_.Post(Url("/tokens"), json{{"name", "child"}}, As(parent["token"]));
    ASSERT_EQ(child.status, 201) << child.body;
    EXPECT_EQ(Permissions(child.Json()), (std::set<std::string>{"customers:read", "tokens:create"}));
    EXPECT_TRUE(child.Json()["expires_at"].is_null()) << child.body;  // no longer-lived than its parent
    EXPECT_EQ(http_.Get(Url("/products"), As(child.Json()["token"])).status, 403);
}

TEST_F(Tokens, ASignedInOwnerStillMintsFullTokens) {
    // A session is the owner in person: a token without `permissions` follows the owner's role.
    const json token = OwnerToken({{"name", "full"}});
    EXPECT_TRUE(token["permissions"].is_null()) << token.dump();
    EXPECT_TRUE(token["expires_at"].is_null()) << token.dump();
    EXPECT_EQ(http_.Get(Url("/members"), As(token["token"])).status, 200);
}

}  // namespace
}  // namespace kiln::testing
