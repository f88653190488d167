#pragma once

#include <string>
#include <string_view>

namespace kiln::common {

/// `text` with LIKE's wildcards (% and _) and the escape character itself escaped, for use
/// with `LIKE ... ESCAPE '\'`, so a search for "10%" finds "10%" and not "100".
inline std::string EscapeLike(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

/// A LIKE pattern matching values that contain `text`.
inline std::string LikeSubstring(std::string_view text) {
    return "%" + EscapeLike(text) + "%";
}

/// A LIKE pattern matching values that start with `text`.
inline std::string LikePrefix(std::string_view text) {
    return EscapeLike(text) + "%";
}

}  // namespace kiln::common
