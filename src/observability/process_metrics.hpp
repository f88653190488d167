#pragma once

#include <prometheus/registry.h>

namespace kiln::observability {

/// The standard process_* metrics of Prometheus client libraries (CPU, memory, file descriptors,
/// start time), read from /proc/self on each scrape. prometheus-cpp's core has none of them.
void RegisterProcessMetrics(prometheus::Registry& registry);
void RefreshProcessMetrics();

/// Seconds since the process started, from the same clock as process_start_time_seconds.
double ProcessUptimeSeconds();

}  // namespace kiln::observability
