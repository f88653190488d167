#include "db/row.hpp"

#include <charconv>
#include <stdexcept>

#include "db/value.hpp"

namespace kiln::db {

std::string Param::ToText() const {
    if (const auto* i = std::get_if<int64_t>(&value_)) {
        if (is_bool_) return *i != 0 ? "true" : "false";
        return std::to_string(*i);
    }
    if (const auto* s = std::get_if<std::string>(&value_)) return *s;
    return {};
}

size_t Row::IndexOf(std::string_view column) const {
    for (size_t i = 0; i < columns_->size(); ++i)
        if ((*columns_)[i] == column) return i;
    throw std::logic_error("result has no column " + std::string(column));
}

const std::string& Row::Text(size_t index) const {
    const auto& value = values_.at(index);
    if (!value) throw std::logic_error("column " + (*columns_)[index] + " is NULL");
    return *value;
}

template <>
std::string Row::Get<std::string>(size_t index) const {
    return Text(index);
}

template <>
int64_t Row::Get<int64_t>(size_t index) const {
    const std::string& text = Text(index);
    int64_t out = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc{} || ptr != text.data() + text.size())
        throw std::logic_error("column " + (*columns_)[index] + " is not an integer: " + text);
    return out;
}

template <>
bool Row::Get<bool>(size_t index) const {
    const std::string& text = Text(index);
    return text == "1" || text == "t" || text == "true";
}

template <>
Timestamp Row::Get<Timestamp>(size_t index) const {
    const auto parsed = ParseTimestamp(Text(index));
    if (!parsed) throw std::logic_error("column " + (*columns_)[index] + " is not a timestamp");
    return *parsed;
}

nlohmann::json Row::TimestampJson(std::string_view column) const {
    const auto& value = values_.at(IndexOf(column));
    if (!value) return nullptr;
    const std::string& text = *value;
    const bool canonical = text.size() == 27 && text[10] == 'T' && text[19] == '.' && text.back() == 'Z';
    if (canonical) return text;
    const auto parsed = ParseTimestamp(text);
    if (!parsed) throw std::logic_error("column " + std::string(column) + " is not a timestamp");
    return FormatTimestamp(*parsed);
}

template <>
nlohmann::json Row::Get<nlohmann::json>(size_t index) const {
    return nlohmann::json::parse(Text(index));
}

}  // namespace kiln::db
