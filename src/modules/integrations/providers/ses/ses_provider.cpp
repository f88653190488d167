#include "modules/integrations/providers/ses/ses_provider.hpp"

#include <regex>

#include "modules/integrations/config_schema.hpp"
#include "modules/integrations/providers/ses/ses_email.hpp"

namespace kiln::integrations {

namespace {

using namespace config_schema;

const std::string kAwsRegionPattern = R"(^[a-z]{2}(-[a-z]+)+-[0-9]$)";

TypeSpec SesSpec() {
    return Spec(
        "ses", "email", "Amazon SES",
        {{"access_key_id",
          FromEnv(Text("Access key id (AKIA…, ASIA…).", "^(AKIA|ASIA)[A-Z0-9]{16}$"), "AWS_ACCESS_KEY_ID")},
         {"secret_access_key", FromEnv(Secret("Secret access key.", "^[A-Za-z0-9/+=]{40}$"), "AWS_SECRET_ACCESS_KEY")},
         {"session_token", FromEnv(Secret("Session token of temporary credentials."), "AWS_SESSION_TOKEN")},
         {"region", Endpoint(FromEnv(WithDefault(Text("Region of the SES endpoint (email.<region>.amazonaws.com).",
                                                      kAwsRegionPattern),
                                                 "us-east-1"),
                                     "AWS_REGION"))},
         {"from_email", FromEnv(Text("Verified sender address.", kEmailPattern), "SES_FROM_EMAIL")},
         {"from_name", Text("Sender name.")},
         {"configuration_set_name", Text("Configuration set for event publishing.")}},
        {"access_key_id", "secret_access_key", "region", "from_email"});
}

}  // namespace

SesProvider::SesProvider() : Provider(SesSpec(), MakeAdapter<SesEmail>) {}

bool IsAwsRegion(const std::string& region) {
    static const std::regex pattern(kAwsRegionPattern);
    return std::regex_match(region, pattern);
}

}  // namespace kiln::integrations
