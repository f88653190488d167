#include "modules/integrations/providers/custom/custom_provider.hpp"

#include "modules/integrations/config_schema.hpp"
#include "modules/integrations/providers/custom/custom_http.hpp"

namespace kiln::integrations {

namespace {

using namespace config_schema;

TypeSpec CustomHttpSpec() {
    return Spec(
        "custom", "http", "Custom HTTP",
        {{"base_url", Endpoint(Text("The service's origin (and path prefix): the tenant's own host.", kUrlPattern))},
         {"auth_header_name",
          WithDefault(Text("Header that carries the credential.", "^[A-Za-z0-9-]+$"), "Authorization")},
         {"auth_header_value", Secret("The credential, e.g. \"Bearer …\".", R"(^[^\r\n]+$)")},
         {"allowed_paths",
          {{"type", "array"},
           {"minItems", 1},
           {"maxItems", 50},
           {"items", Text("A path prefix calls may use, e.g. /v1/orders.", "^/[^\\s?#]*$")},
           {"description", "Path prefixes workflows may call; anything else is refused."}}}},
        {"base_url", "allowed_paths"});
}

}  // namespace

CustomHttpProvider::CustomHttpProvider() : Provider(CustomHttpSpec(), MakeAdapter<CustomHttp>) {}

}  // namespace kiln::integrations
