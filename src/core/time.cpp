#include "core/time.hpp"

#include <charconv>

namespace kiln {

Timestamp Now() {
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

std::string FormatTimestamp(Timestamp t) {
    using namespace std::chrono;
    const auto days = floor<std::chrono::days>(t);
    const year_month_day ymd{days};
    const int64_t micros = (t - days).count();
    const int64_t secs_of_day = micros / 1000000;
    // Written digit by digit: this runs for every timestamp of every response.
    std::string out = "0000-00-00T00:00:00.000000Z";
    const auto put = [&out](size_t pos, int64_t value, int width) {
        for (int i = width - 1; i >= 0; --i, value /= 10)
            out[pos + static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
    };
    put(0, static_cast<int>(ymd.year()), 4);
    put(5, static_cast<unsigned>(ymd.month()), 2);
    put(8, static_cast<unsigned>(ymd.day()), 2);
    put(11, secs_of_day / 3600, 2);
    put(14, (secs_of_day / 60) % 60, 2);
    put(17, secs_of_day % 60, 2);
    put(20, micros % 1000000, 6);
    return out;
}

namespace {

bool ReadInt(std::string_view text, size_t pos, size_t len, int& out) {
    if (pos + len > text.size()) return false;
    for (size_t i = pos; i < pos + len; ++i)
        if (text[i] < '0' || text[i] > '9') return false;
    return std::from_chars(text.data() + pos, text.data() + pos + len, out).ec == std::errc{};
}

}  // namespace

std::optional<Timestamp> ParseTimestamp(std::string_view text) {
    using namespace std::chrono;
    int y = 0;
    int mo = 0;
    int d = 0;
    int h = 0;
    int mi = 0;
    int s = 0;
    if (!ReadInt(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !ReadInt(text, 5, 2, mo) || text[7] != '-' ||
        !ReadInt(text, 8, 2, d))
        return std::nullopt;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    Timestamp result = time_point_cast<microseconds>(sys_days{ymd});
    if (text.size() == 10) return result;
    if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !ReadInt(text, 11, 2, h) || text.size() < 19 ||
        text[13] != ':' || !ReadInt(text, 14, 2, mi) || text[16] != ':' || !ReadInt(text, 17, 2, s))
        return std::nullopt;
    if (h > 23 || mi > 59 || s > 60) return std::nullopt;
    size_t pos = 19;
    int64_t micros = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (digits < 6) micros = micros * 10 + (text[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0) return std::nullopt;
        for (int i = digits; i < 6; ++i) micros *= 10;
    }
    int offset_minutes = 0;
    if (pos < text.size()) {
        const char sign = text[pos];
        if (sign == 'Z' || sign == 'z') {
            ++pos;
        } else if (sign == '+' || sign == '-') {
            int oh = 0;
            int om = 0;
            if (!ReadInt(text, pos + 1, 2, oh)) return std::nullopt;
            pos += 3;
            if (pos < text.size() && text[pos] == ':') ++pos;
            if (pos < text.size()) {
                if (!ReadInt(text, pos, 2, om)) return std::nullopt;
                pos += 2;
            }
            offset_minutes = (oh * 60 + om) * (sign == '+' ? 1 : -1);
        } else {
            return std::nullopt;
        }
    }
    if (pos != text.size()) return std::nullopt;
    result += hours{h} + minutes{mi} + seconds{s} + microseconds{micros} - minutes{offset_minutes};
    return result;
}

}  // namespace kiln
