#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"

namespace kiln::db {

/// One bound parameter. Both backends receive text or integers; timestamps travel as the fixed
/// ISO 8601 text of core/time.hpp, which SQLite compares as text and PostgreSQL casts.
class Param {
  public:
    Param(std::nullptr_t) {}         // NOLINT(google-explicit-constructor): NULL reads naturally in a list
    Param(int64_t v) : value_(v) {}  // NOLINT
    Param(int v) : value_(static_cast<int64_t>(v)) {}                           // NOLINT
    Param(bool v) : value_(static_cast<int64_t>(v ? 1 : 0)), is_bool_(true) {}  // NOLINT
    Param(std::string v) : value_(std::move(v)) {}                              // NOLINT
    Param(const char* v) : value_(std::string(v)) {}                            // NOLINT
    Param(std::string_view v) : value_(std::string(v)) {}                       // NOLINT
    Param(Timestamp t) : value_(FormatTimestamp(t)) {}                          // NOLINT
    template <typename Tag>
    Param(const TypedId<Tag>& id) : value_(id.str()) {}  // NOLINT
    template <typename T>
    Param(const std::optional<T>& v) {  // NOLINT
        if (v) *this = Param(*v);
    }

    bool is_null() const { return std::holds_alternative<std::monostate>(value_); }
    bool is_bool() const { return is_bool_; }
    const std::variant<std::monostate, int64_t, std::string>& value() const { return value_; }
    /// Text form for backends that bind text; `true`/`false` for booleans (PostgreSQL wants them).
    std::string ToText() const;

  private:
    std::variant<std::monostate, int64_t, std::string> value_;
    bool is_bool_ = false;
};

using Params = std::vector<Param>;

}  // namespace kiln::db
