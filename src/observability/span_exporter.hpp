#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "observability/observability_settings.hpp"
#include "observability/span.hpp"

namespace kiln::observability {

/// Batches finished spans and POSTs them as OTLP/HTTP JSON from one background thread.
///
/// The queue is bounded (OTEL_BSP_MAX_QUEUE_SIZE): when the collector is slow or down, new spans
/// are dropped and counted, so a request never waits for the collector. The collector is the
/// operator's own service (an environment variable, not tenant input), so this calls libcurl
/// directly instead of going through the tenant-facing SSRF guard, which would refuse the
/// loopback or private address a collector usually has.
class SpanExporter final {
  public:
    explicit SpanExporter(const ObservabilitySettings& settings);
    ~SpanExporter();
    SpanExporter(const SpanExporter&) = delete;
    SpanExporter& operator=(const SpanExporter&) = delete;

    /// Never blocks on the network; drops the span when the queue is full.
    void Enqueue(std::unique_ptr<SpanData> span);
    /// Exports what is queued (one last attempt), then stops the thread. Idempotent.
    void Stop();

    uint64_t exported() const { return exported_.load(); }
    uint64_t dropped() const { return dropped_.load(); }
    uint64_t failed() const { return failed_.load(); }
    bool last_export_ok() const { return last_ok_.load(); }
    size_t queued() const;
    const std::string& url() const { return url_; }

  private:
    void Loop();
    bool Post(const std::string& body);

    std::string url_;
    std::vector<std::string> headers_;
    std::vector<std::pair<std::string, std::string>> resource_;
    std::chrono::milliseconds timeout_;
    size_t max_queue_;
    size_t max_batch_;
    std::chrono::milliseconds delay_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::unique_ptr<SpanData>> queue_;
    bool stopping_ = false;
    std::atomic<uint64_t> exported_{0};
    std::atomic<uint64_t> dropped_{0};
    std::atomic<uint64_t> failed_{0};
    std::atomic<bool> last_ok_{true};
    void* easy_ = nullptr;  // CURL*, used only by the export thread
    std::thread thread_;
};

}  // namespace kiln::observability
