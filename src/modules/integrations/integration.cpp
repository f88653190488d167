#include "modules/integrations/integration.hpp"

#include "modules/common/secret_fields.hpp"
#include "modules/integrations/integration_types.hpp"

namespace kiln::integrations {

nlohmann::json Integration::ToJson(const TypeSpec& spec, const PlatformDefaults& defaults) const {
    nlohmann::json shown =
        common::MaskSecretFields(config, [&spec](const std::string& field) { return spec.IsSecret(field); });
    return {{"id", id.str()},
            {"type", type},
            {"capability", capability},
            {"name", name},
            {"mode", mode},
            {"config", std::move(shown)},
            {"platform_defaults", PlatformFilledFields(spec, config, defaults, use_platform_credentials)},
            {"endpoint_override", endpoint_override},
            {"status", status},
            {"is_default", is_default},
            {"last_tested_at", last_tested_at ? nlohmann::json(FormatTimestamp(*last_tested_at)) : nlohmann::json()},
            {"last_error", last_error ? nlohmann::json(*last_error) : nlohmann::json()},
            {"created_at", FormatTimestamp(created_at)},
            {"updated_at", FormatTimestamp(updated_at)}};
}

}  // namespace kiln::integrations
