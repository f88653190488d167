#pragma once

#include <string>

#include "observability/trace_context.hpp"

namespace kiln::observability {

/// The OTEL_TRACES_SAMPLER choices: always_on, always_off, traceidratio, and their parentbased_
/// forms (a remote parent's sampled flag decides; only new traces consult the inner sampler).
class Sampler final {
  public:
    /// Throws InvalidSetting naming OTEL_TRACES_SAMPLER (an unknown name) or OTEL_TRACES_SAMPLER_ARG
    /// (not a ratio from 0 to 1).
    static Sampler FromSetting(const std::string& name, const std::string& argument);

    /// `parent` is null for a new trace.
    bool ShouldSample(const TraceContext* parent, const std::array<uint8_t, 16>& trace_id) const;
    bool always_off() const { return !parent_based_ && ratio_ <= 0.0; }

  private:
    bool parent_based_ = true;
    double ratio_ = 1.0;
};

}  // namespace kiln::observability
