#include "modules/integrations/secret_mask.hpp"

namespace kiln::integrations {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026
constexpr size_t kShownTail = 4;
constexpr size_t kMaxPrefix = 8;
// Below this length, showing four characters would show too much of the secret.
constexpr size_t kMinLengthToShowTail = 16;

}  // namespace

std::string MaskSecret(std::string_view secret) {
    if (secret.size() < kMinLengthToShowTail) return std::string(kEllipsis);
    size_t prefix = 0;
    for (size_t i = 0; i < kMaxPrefix && i < secret.size(); ++i)
        if (secret[i] == '_' || secret[i] == '.') prefix = i + 1;
    // The tail starts on a character, not inside one: a UTF-8 continuation byte is not shown.
    size_t tail = secret.size() - kShownTail;
    while (tail < secret.size() && (static_cast<unsigned char>(secret[tail]) & 0xC0U) == 0x80U) ++tail;
    return std::string(secret.substr(0, prefix)) + std::string(kEllipsis) + std::string(secret.substr(tail));
}

bool LooksMasked(std::string_view value) {
    return value.find(kEllipsis) != std::string_view::npos;
}

}  // namespace kiln::integrations
