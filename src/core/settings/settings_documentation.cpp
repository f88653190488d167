#include "core/settings/settings_documentation.hpp"

#include <vector>

namespace kiln::settings {

namespace {

/// `text` with its pipes escaped, so that it stays in its table cell.
std::string MarkdownCell(const std::string& text) {
    std::string cell;
    for (const char c : text) {
        if (c == '|') cell += '\\';
        cell += c;
    }
    return cell;
}

/// "(none)" and other words in parentheses stay prose; values are code.
std::string MarkdownValue(const std::string& text) {
    if (text.starts_with("(")) return MarkdownCell(text);
    return "`" + MarkdownCell(text) + "`";
}

/// Settings that share a row of the table: consecutive, with the same default and meaning.
std::vector<std::vector<const Setting*>> Rows(const Registry& registry) {
    std::vector<std::vector<const Setting*>> rows;
    for (const auto& setting : registry.settings()) {
        if (!rows.empty()) {
            const Setting& previous = *rows.back().front();
            if (previous.help == setting.help && previous.default_text == setting.default_text &&
                previous.flag.empty() && setting.flag.empty()) {
                rows.back().push_back(&setting);
                continue;
            }
        }
        rows.push_back({&setting});
    }
    return rows;
}

}  // namespace

std::string MarkdownTable(const Registry& registry) {
    std::string out = "| variable | flag | default | meaning |\n| --- | --- | --- | --- |\n";
    for (const auto& row : Rows(registry)) {
        std::string variables;
        for (const auto* setting : row) {
            if (!variables.empty()) variables += ", ";
            variables += "`" + setting->variable + "`";
        }
        const Setting& first = *row.front();
        out += "| " + variables + " | " + (first.flag.empty() ? "" : "`" + first.flag + "`") + " | " +
               MarkdownValue(first.default_text) + " | " + MarkdownCell(first.help) + " |\n";
    }
    return out;
}

std::string HelpText(const Registry& registry) {
    std::string out = "SETTINGS (environment variables; a flag, where there is one, overrides its variable):\n";
    for (const auto& setting : registry.settings()) {
        out += "  " + setting.variable;
        if (!setting.flag.empty()) out += " (" + setting.flag + ")";
        out += "  " + setting.kind + ", default " + setting.default_text + "\n      " + setting.help + "\n";
    }
    return out;
}

}  // namespace kiln::settings
