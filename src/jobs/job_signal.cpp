#include "jobs/job_signal.hpp"

namespace kiln::jobs {

JobSignal& JobSignal::Instance() {
    static JobSignal signal;
    return signal;
}

void JobSignal::Notify() {
    {
        std::lock_guard lock(mutex_);
        ++generation_;
    }
    cv_.notify_all();
}

uint64_t JobSignal::generation() {
    std::lock_guard lock(mutex_);
    return generation_;
}

}  // namespace kiln::jobs
