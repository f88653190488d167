#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace kiln::settings {

/// One setting, declared once: the environment variable it is read from, the `kiln serve` flag
/// that overrides it, how its default reads, what a value looks like, what it does, and how a
/// text becomes the typed field it is bound to. The constructors in setting_kinds.hpp fill it in;
/// --help, `kiln settings --markdown` (the README table) and start-up parsing all read it.
struct Setting {
    std::string variable;      // KILN_HANDLER_THREADS
    std::string flag;          // --handler-threads; empty: environment only
    std::string default_text;  // "8", "(none)", "(key file)"
    std::string kind;          // what a value looks like: "integer from 0 to 65535", "true or false"
    std::string help;          // what it does, one sentence (the README's meaning column)
    /// Parses `text` and stores it in the bound field; throws std::invalid_argument saying what
    /// the value must be ("must be an integer from 1 to 65535"; the registry names the variable).
    std::function<void(std::string_view text)> assign;

    /// The `kiln serve` flag of this setting (e.g. "--port").
    Setting&& WithFlag(std::string name) && {
        flag = std::move(name);
        return std::move(*this);
    }
    /// Shows the default as `text` instead of the bound field's value (e.g. "(random)").
    Setting&& WithDefaultText(std::string text) && {
        default_text = std::move(text);
        return std::move(*this);
    }
};

}  // namespace kiln::settings
