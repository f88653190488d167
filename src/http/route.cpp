#include "http/route.hpp"

#include <stdexcept>

#include "core/error.hpp"

namespace kiln::http {

namespace {

std::vector<std::string> Split(const std::string& path) {
    std::vector<std::string> segments;
    size_t start = 0;
    while (start <= path.size()) {
        const size_t end = path.find('/', start);
        const std::string segment = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!segment.empty()) segments.push_back(segment);
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return segments;
}

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string PercentDecode(const std::string& segment) {
    std::string out;
    out.reserve(segment.size());
    for (size_t i = 0; i < segment.size(); ++i) {
        if (segment[i] != '%') {
            out.push_back(segment[i]);
            continue;
        }
        const int hi = i + 2 < segment.size() ? HexValue(segment[i + 1]) : -1;
        const int lo = i + 2 < segment.size() ? HexValue(segment[i + 2]) : -1;
        if (hi < 0 || lo < 0) throw BadRequest("The request path has malformed percent-encoding.");
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

bool IsParam(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void RouteTable::Add(Route route) {
    if (route.method != Method::kGet) route.writes = true;
    if (route.own_transactions && route.access != Access::kPublic)
        throw std::logic_error("only public routes may manage their own transactions: " + route.path);
    if (route.slow_io && (!route.writes || route.access != Access::kTenant))
        throw std::logic_error("slow_io routes are writing tenant routes: " + route.path);
    for (const auto& existing : routes_) {
        if (existing.method == route.method && existing.path == route.path)
            throw std::logic_error("route declared twice: " + route.path);
    }
    segments_.push_back(Split(FullPath(route)));
    routes_.push_back(std::move(route));
}

std::string RouteTable::FullPath(const Route& route) const {
    return route.outside_api_prefix ? route.path : "/" + api_prefix_ + route.path;
}

RouteTable::Match RouteTable::Find(Method method, const std::string& path) const {
    const auto request_segments = Split(path);
    Match best;
    int best_score = -1;
    for (size_t r = 0; r < routes_.size(); ++r) {
        const Route& route = routes_[r];
        const auto& segments = segments_[r];
        if (segments.size() != request_segments.size()) continue;
        std::map<std::string, std::string> params;
        int score = 0;  // number of static segments matched: more static wins
        bool matches = true;
        for (size_t i = 0; i < segments.size() && matches; ++i) {
            if (IsParam(segments[i])) {
                params[segments[i].substr(1, segments[i].size() - 2)] = PercentDecode(request_segments[i]);
            } else if (segments[i] == request_segments[i]) {
                ++score;
            } else {
                matches = false;
            }
        }
        if (!matches) continue;
        if (route.method != method) {
            best.path_exists = true;
            continue;
        }
        if (score > best_score) {
            best_score = score;
            best.route = &route;
            best.params = std::move(params);
        }
    }
    return best;
}

}  // namespace kiln::http
