// The registry of providers: one entry per type, in the order the API lists them, and the settings that name a
// provider (the operator's KILN_<TYPE>_BASE_URL) kept in step with it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

#include "core/config.hpp"
#include "core/error.hpp"
#include "modules/integrations/provider_registry.hpp"

namespace kiln::integrations {
namespace {

std::string UpperAscii(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

TEST(ProviderRegistry, EveryBuiltInTypeOnceInTheApisOrder) {
    std::vector<std::string> types;
    for (const auto& provider : Providers().All()) types.push_back(provider->type());
    EXPECT_EQ(types, (std::vector<std::string>{"stripe", "razorpay", "sendgrid", "ses", "twilio", "shopify", "docusign",
                                               "custom"}));
    for (const auto& type : types) {
        EXPECT_EQ(Providers().Find(type)->type(), type);
        EXPECT_EQ(&TypeOf(type), &Providers().Of(type).spec());
    }
}

TEST(ProviderRegistry, AnUnknownTypeIsAFieldErrorNamingTheKnownOnes) {
    EXPECT_EQ(Providers().Find("paypal"), nullptr);
    try {
        Providers().Of("paypal");
        FAIL() << "no error for an unknown type";
    } catch (const ValidationError& e) {
        ASSERT_EQ(e.field_errors().size(), 1U);
        EXPECT_EQ(e.field_errors()[0].field, "type");
        EXPECT_EQ(e.field_errors()[0].message,
                  "is not an integration type; one of: stripe, razorpay, sendgrid, ses, twilio, shopify, docusign, "
                  "custom");
    }
}

TEST(ProviderRegistry, TwoProvidersOfOneTypeAreRefused) {
    std::vector<std::unique_ptr<Provider>> providers = BuiltInProviders();
    auto again = BuiltInProviders();
    providers.push_back(std::move(again.front()));
    EXPECT_THROW(ProviderRegistry(std::move(providers)), std::logic_error);
}

TEST(ProviderRegistry, TheOperatorMayMoveEveryPinnedHost) {
    // A provider without a tenant-chosen base_url calls a host pinned in code; KILN_<TYPE>_BASE_URL moves it.
    std::vector<std::string> variables;
    for (const auto& provider : Providers().All()) {
        if (provider->spec().IsEndpoint("base_url")) continue;  // custom: the tenant's own host
        variables.push_back("KILN_" + UpperAscii(provider->type()) + "_BASE_URL");
        ::setenv(variables.back().c_str(), ("http://127.0.0.1:1/" + provider->type()).c_str(), 1);
    }
    const Config config = Config::FromEnvironment();
    for (const auto& variable : variables) ::unsetenv(variable.c_str());
    for (const auto& provider : Providers().All()) {
        if (provider->spec().IsEndpoint("base_url")) continue;
        SCOPED_TRACE(provider->type());
        const auto it = config.provider_base_urls.find(provider->type());
        ASSERT_NE(it, config.provider_base_urls.end());
        EXPECT_EQ(it->second, "http://127.0.0.1:1/" + provider->type());
    }
}

}  // namespace
}  // namespace kiln::integrations
