// The registry of providers: one entry per type, in the order the API lists them, and the settings that name a
// provider (the operator's KILN_<TYPE>_BASE_URL) kept in step with it.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

#include "app/process_settings.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"
#include "modules/integrations/provider_registry.hpp"

namespace kiln::integrations {
namespace {

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
    std::map<std::string, std::string> environment;
    for (const auto& provider : Providers().All()) {
        if (provider->spec().IsEndpoint("base_url")) continue;  // custom: the tenant's own host
        environment["KILN_" + strings::ToUpper(provider->type()) + "_BASE_URL"] =
            "http://127.0.0.1:1/" + provider->type();
    }
    environment["KILN_DOCUSIGN_OAUTH_BASE_URL"] = "http://127.0.0.1:1/oauth";
    app::ProcessSettings process;
    const auto registry = app::DeclareProcessSettings(process);
    app::ReadProcessSettings(
        registry,
        [&environment](const std::string& name) -> std::optional<std::string> {
            const auto it = environment.find(name);
            if (it == environment.end()) return std::nullopt;
            return it->second;
        },
        {}, process);
    const auto& urls = process.server.provider_base_urls;
    for (const auto& provider : Providers().All()) {
        if (provider->spec().IsEndpoint("base_url")) continue;
        SCOPED_TRACE(provider->type());
        const auto it = urls.find(provider->type());
        ASSERT_NE(it, urls.end());
        EXPECT_EQ(it->second, "http://127.0.0.1:1/" + provider->type());
    }
    ASSERT_EQ(urls.count("docusign.oauth"), 1U);
    EXPECT_EQ(urls.at("docusign.oauth"), "http://127.0.0.1:1/oauth");
    EXPECT_EQ(urls.size(), environment.size());
}

}  // namespace
}  // namespace kiln::integrations
