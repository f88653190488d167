#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace kiln::db {

/// One result row, values held as text (NULL = nullopt), converted on access. Both backends
/// produce the same text for the same stored value once read through these accessors.
class Row {
  public:
    Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<std::optional<std::string>> values)
        : columns_(std::move(columns)), values_(std::move(values)) {}

    size_t size() const { return values_.size(); }
    bool IsNull(size_t index) const { return !values_.at(index).has_value(); }
    bool IsNull(std::string_view column) const { return IsNull(IndexOf(column)); }

    template <typename T>
    T Get(size_t index) const;
    template <typename T>
    T Get(std::string_view column) const {
        return Get<T>(IndexOf(column));
    }
    /// A timestamp column as the API shows it (core/time.hpp's fixed format); JSON null for NULL.
    /// Text already in that format, as SQLite stores it, is passed through without parsing.
    nlohmann::json TimestampJson(std::string_view column) const;

    template <typename T>
    std::optional<T> GetOptional(std::string_view column) const {
        const size_t index = IndexOf(column);
        if (IsNull(index)) return std::nullopt;
        return Get<T>(index);
    }

  private:
    size_t IndexOf(std::string_view column) const;
    const std::string& Text(size_t index) const;

    std::shared_ptr<const std::vector<std::string>> columns_;
    std::vector<std::optional<std::string>> values_;
};

template <>
std::string Row::Get<std::string>(size_t index) const;
template <>
int64_t Row::Get<int64_t>(size_t index) const;
template <>
bool Row::Get<bool>(size_t index) const;
template <>
Timestamp Row::Get<Timestamp>(size_t index) const;
template <>
nlohmann::json Row::Get<nlohmann::json>(size_t index) const;

/// All rows of a statement plus the count of rows it changed.
class Result {
  public:
    Result() = default;
    Result(std::vector<Row> rows, int64_t affected) : rows_(std::move(rows)), affected_rows_(affected) {}

    bool empty() const { return rows_.empty(); }
    size_t size() const { return rows_.size(); }
    const Row& operator[](size_t i) const { return rows_.at(i); }
    const Row& front() const { return rows_.at(0); }
    auto begin() const { return rows_.begin(); }
    auto end() const { return rows_.end(); }
    int64_t affected_rows() const { return affected_rows_; }

  private:
    std::vector<Row> rows_;
    int64_t affected_rows_ = 0;
};

}  // namespace kiln::db
