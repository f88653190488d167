#pragma once

#include <string>

#include "core/settings/registry.hpp"

namespace kiln::settings {

/// The README's settings table (`kiln settings --markdown`): variable, flag, default, meaning.
/// Neighbours with the same default and meaning share one row (the provider endpoint overrides,
/// the platform credentials).
std::string MarkdownTable(const Registry& registry);

/// The settings part of `kiln serve --help`: every setting, its flag, what a value looks like and
/// its default.
std::string HelpText(const Registry& registry);

}  // namespace kiln::settings
