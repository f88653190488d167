#include "observability/sampler.hpp"

#include <stdexcept>

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
        try {
            sampler.ratio_ = argument.empty() ? 1.0 : std::stod(argument);
        } catch (const std::exception&) {
            sampler.ratio_ = -1;
        }
        if (sampler.ratio_ < 0.0 || sampler.ratio_ > 1.0)
            throw std::runtime_error("OTEL_TRACES_SAMPLER_ARG must be a ratio between 0 and 1");
    } else {
        throw std::runtime_error("OTEL_TRACES_SAMPLER " + name + " is not supported");
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
