#include "core/settings/registry.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "core/error.hpp"

namespace kiln::settings {

namespace {

/// The value's own text is not repeated: it may be a secret (a database URL with its password).
/// `given_as` says where it came from when that was not the variable.
void Assign(const Setting& setting, std::string_view text, const std::string& given_as) {
    try {
        setting.assign(text);
    } catch (const std::exception& e) {  // whatever a parser throws is about the value
        throw InvalidSetting(setting.variable, given_as.empty() ? e.what() : given_as + " " + e.what());
    }
}

}  // namespace

Lookup ProcessEnvironment() {
    return [](const std::string& variable) -> std::optional<std::string> {
        // Read once, at start-up, before any thread exists.
        const char* value = std::getenv(variable.c_str());  // NOLINT(concurrency-mt-unsafe)
        if (value == nullptr) return std::nullopt;
        return std::string(value);
    };
}

void Registry::Add(Setting setting) {
    for (const auto& known : settings_) {
        if (known.variable == setting.variable) throw std::logic_error("setting declared twice: " + setting.variable);
        if (!setting.flag.empty() && known.flag == setting.flag)
            throw std::logic_error("flag declared twice: " + setting.flag);
    }
    settings_.push_back(std::move(setting));
}

void Registry::AddCheck(std::function<void()> check) {
    checks_.push_back(std::move(check));
}

const Setting* Registry::Find(std::string_view variable) const {
    const auto it = std::find_if(settings_.begin(), settings_.end(),
                                 [&](const Setting& setting) { return setting.variable == variable; });
    return it == settings_.end() ? nullptr : &*it;
}

void Registry::Read(const Lookup& environment) const {
    for (const auto& setting : settings_) {
        const auto text = environment(setting.variable);
        if (text && !text->empty()) Assign(setting, *text, "");
    }
}

void Registry::ApplyFlag(const Setting& setting, std::string_view text) const {
    Assign(setting, text, "(given as " + setting.flag + ")");
}

void Registry::Check() const {
    for (const auto& check : checks_) check();
}

}  // namespace kiln::settings
