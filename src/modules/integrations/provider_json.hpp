#pragma once

// What every provider adapter reads from an answer the same way: the status, and fields of a JSON object that may
// be missing or of another type than documented.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace kiln::integrations {

/// A 2xx status.
bool IsSuccess(int status);

/// `prefix` followed by at least one of [A-Za-z0-9_] ("pi_…", "order_…"): an id that cannot change the path or
/// query of the URL it is put into.
bool LooksLikeId(std::string_view id, std::string_view prefix);

/// The string `name` of `object`; "" when it is absent or not a string, or `object` is not an object.
std::string StringField(const nlohmann::json& object, const char* name);

/// The string at `path` of `object`; "" when there is none or it is not a string.
std::string StringAt(const nlohmann::json& object, const nlohmann::json::json_pointer& path);
/// An id as text: a string as it is, an integer (REST ids, Twilio's error codes) in its decimal digits; "" for
/// anything else.
std::string IdField(const nlohmann::json& object, const char* name);

/// The integer `name` of `object`; 0 when it is absent or not an integer.
int64_t IntegerField(const nlohmann::json& object, const char* name);

/// A decimal amount ("19", "19.9", "19.99", "19.990") in cents, exactly; nullopt for anything else: no sign, no
/// exponent, a third decimal only when it is zero (the stores Kiln syncs price in currencies of two decimals), at
/// most kMaxUnitPrice. A JSON number converts through its shortest text, `value.dump()`.
std::optional<int64_t> DecimalToMinor(std::string_view text);

}  // namespace kiln::integrations
