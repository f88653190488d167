#include "core/settings/setting_kinds.hpp"

#include "core/strings.hpp"

namespace kiln::settings {

namespace {

std::string ShownDefault(const std::string& value) {
    return value.empty() ? "(none)" : value;
}

}  // namespace

Setting Custom(std::string variable, std::string default_text, std::string kind, std::string help,
               std::function<void(std::string_view)> assign) {
    return {.variable = std::move(variable),
            .flag = {},
            .default_text = std::move(default_text),
            .kind = std::move(kind),
            .help = std::move(help),
            .assign = std::move(assign)};
}

Setting Size(std::string variable, size_t& target, Range range, std::string help) {
    return Custom(std::move(variable), std::to_string(target), "bytes " + DescribeRange(range), std::move(help),
                  [&target, range](std::string_view text) { target = static_cast<size_t>(ParseSize(text, range)); });
}

Setting Bool(std::string variable, bool& target, std::string help) {
    return Custom(std::move(variable), target ? "true" : "false", "true or false", std::move(help),
                  [&target](std::string_view text) { target = ParseBool(text); });
}

Setting Text(std::string variable, std::string& target, std::string help) {
    return Custom(std::move(variable), ShownDefault(target), "text", std::move(help),
                  [&target](std::string_view text) { target = std::string(text); });
}

Setting Url(std::string variable, std::string& target, std::vector<std::string> schemes, std::string help) {
    std::string kind = "URL (" + strings::Join(schemes, ", ") + ")";
    return Custom(std::move(variable), ShownDefault(target), std::move(kind), std::move(help),
                  [&target, schemes = std::move(schemes)](std::string_view text) { target = ParseUrl(text, schemes); });
}

Setting Choice(std::string variable, std::string& target, std::vector<std::string> choices, std::string help) {
    std::string kind = "one of " + strings::Join(choices, ", ");
    return Custom(
        std::move(variable), ShownDefault(target), std::move(kind), std::move(help),
        [&target, choices = std::move(choices)](std::string_view text) { target = ParseChoice(text, choices); });
}

}  // namespace kiln::settings
