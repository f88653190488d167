#include "observability/process_metrics.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>

namespace kiln::observability {

namespace {

struct ProcessSeries {
    prometheus::Counter* cpu = nullptr;
    prometheus::Gauge* resident = nullptr;
    prometheus::Gauge* virtual_memory = nullptr;
    prometheus::Gauge* open_fds = nullptr;
    prometheus::Gauge* max_fds = nullptr;
    prometheus::Gauge* start_time = nullptr;
    double cpu_reported = 0;
    std::mutex mutex;  // scrapes may overlap
};

ProcessSeries& Series() {
    static ProcessSeries series;
    return series;
}

/// Fields of /proc/self/stat after the command name (which may hold spaces), 1-based as in proc(5) minus 2.
std::vector<std::string> StatFields() {
    std::ifstream file("/proc/self/stat");
    std::string line;
    std::getline(file, line);
    const auto close = line.rfind(')');
    std::vector<std::string> fields;
    if (close == std::string::npos) return fields;
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    while (rest >> field) fields.push_back(field);
    return fields;  // fields[0] is proc(5)'s field 3 (state)
}

double BootTimeSeconds() {
    std::ifstream file("/proc/stat");
    std::string key;
    double value = 0;
    while (file >> key) {
        if (key == "btime") {
            file >> value;
            return value;
        }
        file.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    }
    return 0;
}

double StartTimeSeconds() {
    static const double start = [] {
        const auto fields = StatFields();
        const auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
        if (fields.size() < 20 || ticks <= 0) {
            return static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count()) /
                   1000.0;
        }
        return BootTimeSeconds() + std::stod(fields[19]) / ticks;  // starttime is field 22
    }();
    return start;
}

size_t CountOpenFds() {
    size_t count = 0;
    if (DIR* dir = opendir("/proc/self/fd")) {
        while (const dirent* entry = readdir(dir)) {
            if (entry->d_name[0] != '.') ++count;
        }
        closedir(dir);
        if (count > 0) --count;  // the directory handle itself
    }
    return count;
}

}  // namespace

void RegisterProcessMetrics(prometheus::Registry& registry) {
    auto& s = Series();
    s.cpu = &prometheus::BuildCounter()
                 .Name("process_cpu_seconds_total")
                 .Help("Total user and system CPU time spent in seconds.")
                 .Register(registry)
                 .Add({});
    s.resident = &prometheus::BuildGauge()
                      .Name("process_resident_memory_bytes")
                      .Help("Resident memory size in bytes.")
                      .Register(registry)
                      .Add({});
    s.virtual_memory = &prometheus::BuildGauge()
                            .Name("process_virtual_memory_bytes")
                            .Help("Virtual memory size in bytes.")
                            .Register(registry)
                            .Add({});
    s.open_fds = &prometheus::BuildGauge()
                      .Name("process_open_fds")
                      .Help("Number of open file descriptors.")
                      .Register(registry)
                      .Add({});
    s.max_fds = &prometheus::BuildGauge()
                     .Name("process_max_fds")
                     .Help("Maximum number of open file descriptors.")
                     .Register(registry)
                     .Add({});
    s.start_time = &prometheus::BuildGauge()
                        .Name("process_start_time_seconds")
                        .Help("Start time of the process since unix epoch in seconds.")
                        .Register(registry)
                        .Add({});
    s.start_time->Set(StartTimeSeconds());
}

void RefreshProcessMetrics() {
    auto& s = Series();
    if (s.cpu == nullptr) return;
    const std::lock_guard lock(s.mutex);
    const auto fields = StatFields();
    const auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    if (fields.size() >= 22 && ticks > 0) {
        const double cpu = (std::stod(fields[11]) + std::stod(fields[12])) / ticks;  // utime, stime (14, 15)
        if (cpu > s.cpu_reported) {
            s.cpu->Increment(cpu - s.cpu_reported);  // a counter only goes up: add the difference
            s.cpu_reported = cpu;
        }
        s.virtual_memory->Set(std::stod(fields[20]));                                         // vsize (23)
        s.resident->Set(std::stod(fields[21]) * static_cast<double>(sysconf(_SC_PAGESIZE)));  // rss pages (24)
    }
    s.open_fds->Set(static_cast<double>(CountOpenFds()));
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) s.max_fds->Set(static_cast<double>(limit.rlim_cur));
}

double ProcessUptimeSeconds() {
    const double now = static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count()) /
                       1000.0;
    return std::max(0.0, now - StartTimeSeconds());
}

}  // namespace kiln::observability
