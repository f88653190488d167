#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kiln {

/// The text of each value of an enum whose values count from 0 (`enum class Status { kDraft, kIssued }`), as the API
/// and the database write it. One constant per enum (`kInvoiceStatuses`), so the allowed values live in one place
/// instead of in comments and string comparisons.
template <typename Enum, std::size_t N>
class EnumText {
  public:
    constexpr explicit EnumText(std::array<std::string_view, N> names) : names_(names) {}

    std::string_view Name(Enum value) const { return names_.at(static_cast<std::size_t>(value)); }
    std::string String(Enum value) const { return std::string(Name(value)); }

    /// The value named `text`, or nothing.
    std::optional<Enum> Parse(std::string_view text) const {
        for (std::size_t i = 0; i < N; ++i)
            if (names_[i] == text) return static_cast<Enum>(i);
        return std::nullopt;
    }
    /// The value of a stored name. A name the enum does not know is a corrupt row, not a caller's mistake.
    Enum FromStored(std::string_view text) const {
        if (const auto value = Parse(text)) return *value;
        throw std::logic_error("unknown stored value " + std::string(text));
    }

    /// Every value, in order.
    std::array<Enum, N> Values() const {
        std::array<Enum, N> out{};
        for (std::size_t i = 0; i < N; ++i) out[i] = static_cast<Enum>(i);
        return out;
    }
    /// Every name, in order (JSON Schema `enum`).
    std::vector<std::string> Names() const { return {names_.begin(), names_.end()}; }
    /// "draft, issued, paid or void": for help texts and error messages.
    std::string Describe() const {
        std::string out;
        for (std::size_t i = 0; i < N; ++i) {
            if (i > 0) out += i + 1 == N ? " or " : ", ";
            out += names_[i];
        }
        return out;
    }

  private:
    std::array<std::string_view, N> names_;
};

}  // namespace kiln
