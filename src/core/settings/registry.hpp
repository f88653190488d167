#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/settings/setting.hpp"

namespace kiln::settings {

/// Where values come from: the variable's text, or nullopt when it is not set.
using Lookup = std::function<std::optional<std::string>(const std::string& variable)>;

/// The process environment (the one place Kiln calls getenv).
Lookup ProcessEnvironment();

/// Every setting of the process, in the order --help and the README list them. Each module adds
/// its own (bound to its settings struct); app/ builds the one registry of the process. Reading
/// happens once at start: the environment first, then flags; a bad value throws InvalidSetting
/// naming the variable, never falls back to the default.
class Registry final {
  public:
    /// Throws std::logic_error when the variable or the flag is declared already.
    void Add(Setting setting);
    /// A rule over several settings (e.g. KILN_SMTP_URL needs KILN_SMTP_FROM), run by Check() after
    /// every value is read; it throws InvalidSetting.
    void AddCheck(std::function<void()> check);

    const std::vector<Setting>& settings() const { return settings_; }
    const Setting* Find(std::string_view variable) const;

    /// Assigns every variable `environment` sets; an empty value counts as unset.
    void Read(const Lookup& environment) const;
    /// Assigns `text`, given through `setting`'s flag (flags override the environment).
    void ApplyFlag(const Setting& setting, std::string_view text) const;
    /// Runs the checks added with AddCheck.
    void Check() const;

  private:
    std::vector<Setting> settings_;
    std::vector<std::function<void()>> checks_;
};

}  // namespace kiln::settings
