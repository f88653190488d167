#include "jobs/job_handler.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace kiln::jobs {

void JobHandlerRegistry::Register(const std::string& kind, JobHandler handler) {
    if (!handlers_.emplace(kind, std::move(handler)).second)
        throw std::logic_error("job kind registered twice: " + kind);
}

const JobHandler* JobHandlerRegistry::Find(const std::string& kind) const {
    const auto it = handlers_.find(kind);
    return it == handlers_.end() ? nullptr : &it->second;
}

std::vector<std::string> JobHandlerRegistry::kinds() const {
    std::vector<std::string> out;
    out.reserve(handlers_.size());
    for (const auto& [kind, handler] : handlers_) out.push_back(kind);
    return out;
}

void RegisterTestJobKinds(JobHandlerRegistry& registry) {
    registry.Register("test.sleep", [](const JobContext& job) {
        const auto ms = job.payload.is_object() ? job.payload.value("ms", int64_t{0}) : int64_t{0};
        std::this_thread::sleep_for(std::chrono::milliseconds(std::clamp<int64_t>(ms, 0, 600000)));
    });
    registry.Register("test.fail", [](const JobContext& job) {
        throw std::runtime_error("test.fail always fails (attempt " + std::to_string(job.attempt) + ")");
    });
}

}  // namespace kiln::jobs
