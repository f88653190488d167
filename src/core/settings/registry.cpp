#include "core/settings/registry.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "core/error.hpp"

namespace kiln::settings {

namespace {

/// The value's own text is not repeated: it may be a secret (a database URL with its password).
void Assign(const Setting& setting, std::string_view text, const std::string& source) {
    try {
        setting.assign(text);
    } catch (const std::invalid_argument& e) {
        throw InvalidSetting(source, e.what());
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
        if (text && !text->empty()) Assign(setting, *text, setting.variable);
    }
}

void Registry::ApplyFlag(const Setting& setting, std::string_view text) const {
    Assign(setting, text, setting.flag + " (" + setting.variable + ")");
}

void Registry::Check() const {
    for (const auto& check : checks_) check();
}

}  // namespace kiln::settings
