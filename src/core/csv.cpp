#include "core/csv.hpp"

#include <cctype>

namespace kiln {

namespace {

bool IsNumber(std::string_view text) {
    size_t i = text.starts_with('-') ? 1 : 0;
    if (i == text.size()) return false;
    for (; i < text.size(); ++i)
        if (std::isdigit(static_cast<unsigned char>(text[i])) == 0 && text[i] != '.') return false;
    return true;
}

}  // namespace

std::string CsvField(std::string_view field) {
    std::string text(field);
    if (!text.empty() && std::string_view("=+-@").find(text.front()) != std::string_view::npos && !IsNumber(text))
        text.insert(text.begin(), '\'');
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

std::string CsvRecord(const std::vector<std::string>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ',';
        out += CsvField(fields[i]);
    }
    return out + "\r\n";
}

}  // namespace kiln
