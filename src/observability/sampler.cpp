#include "observability/sampler.hpp"

#include <charconv>

#include "core/error.hpp"

namespace kiln::observability {

Sampler Sampler::FromSetting(const std::string& name, const std::string& argument) {
    Sampler sampler;
    std::string inner = name;
    sampler.parent_based_ = name.rfind("parentbased_", 0) == 0;
    if (sampler.parent_based_) inner = name.substr(std::string("parentbased_").size());
    if (inner == "always_on") {
        sampler.ratio_ = 1.0;
    } else if (inner == "always_off") {
        sampler.ratio_ = 0.0;
    } else if (inner == "traceidratio") {
        sampler.ratio_ = 1.0;
        if (!argument.empty()) {
            const auto* const end = argument.data() + argument.size();
            const auto [stop, error] = std::from_chars(argument.data(), end, sampler.ratio_);
            if (error != std::errc() || stop != end || !(sampler.ratio_ >= 0.0 && sampler.ratio_ <= 1.0))
                throw InvalidSetting("OTEL_TRACES_SAMPLER_ARG", "must be a ratio from 0 to 1");
        }
    } else {
        throw InvalidSetting("OTEL_TRACES_SAMPLER",
                             "must be always_on, always_off, traceidratio or their "
                             "parentbased_ forms");
    }
    return sampler;
}

bool Sampler::ShouldSample(const TraceContext* parent, const std::array<uint8_t, 16>& trace_id) const {
    if (parent_based_ && parent != nullptr) return parent->sampled;
    if (ratio_ >= 1.0) return true;
    if (ratio_ <= 0.0) return false;
    // The specification's TraceIdRatioBased: the decision depends only on the trace id, so every
    // process that sees the trace decides alike. The low 8 bytes are random in W3C ids.
    uint64_t low = 0;
    for (size_t i = 8; i < 16; ++i) low = (low << 8) | trace_id[i];
    const auto bound = static_cast<uint64_t>(ratio_ * 18446744073709551615.0);
    return low < bound;
}

}  // namespace kiln::observability
