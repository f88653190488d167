#include "observability/span_exporter.hpp"

#include <curl/curl.h>

#include "core/log.hpp"
#include "observability/metrics.hpp"
#include "observability/otlp_json.hpp"

namespace kiln::observability {

namespace {

size_t Discard(char* /*data*/, size_t size, size_t count, void* /*user*/) {
    return size * count;
}

std::vector<std::string> HeaderLines(const std::string& setting) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < setting.size()) {
        const size_t comma = setting.find(',', start);
        const std::string item = setting.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const size_t equals = item.find('=');
        if (equals != std::string::npos && equals > 0)
            lines.push_back(item.substr(0, equals) + ": " + item.substr(equals + 1));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return lines;
}

}  // namespace

SpanExporter::SpanExporter(const ObservabilitySettings& settings)
    : url_(settings.TracesUrl()),
      headers_(HeaderLines(settings.otlp_headers)),
      resource_(ResourceAttributes(settings.service_name, settings.resource_attributes)),
      timeout_(settings.otlp_timeout),
      max_queue_(settings.max_queue_size),
      max_batch_(std::min(settings.max_export_batch_size, settings.max_queue_size)),
      delay_(settings.schedule_delay) {
    thread_ = std::thread([this] { Loop(); });
}

SpanExporter::~SpanExporter() {
    Stop();
}

void SpanExporter::Enqueue(std::unique_ptr<SpanData> span) {
    bool wake = false;
    {
        const std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= max_queue_) {
            dropped_.fetch_add(1, std::memory_order_relaxed);
            Metrics::Instance().TraceSpans("dropped", 1);
            return;
        }
        queue_.push_back(std::move(span));
        wake = queue_.size() == max_batch_;
    }
    if (wake) wake_.notify_one();
}

void SpanExporter::Stop() {
    {
        const std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

size_t SpanExporter::queued() const {
    const std::lock_guard lock(mutex_);
    return queue_.size();
}

void SpanExporter::Loop() {
    for (;;) {
        std::vector<std::unique_ptr<SpanData>> batch;
        bool last = false;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, delay_, [this] { return stopping_ || queue_.size() >= max_batch_; });
            last = stopping_;
            while (!queue_.empty() && batch.size() < max_batch_) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        if (!batch.empty()) {
            const bool ok = Post(OtlpTraceRequest(resource_, batch));
            last_ok_.store(ok);
            auto& counter = ok ? exported_ : failed_;
            counter.fetch_add(batch.size());
            Metrics::Instance().TraceSpans(ok ? "exported" : "failed", static_cast<double>(batch.size()));
        }
        if (last) {
            const std::lock_guard lock(mutex_);
            if (queue_.empty()) {
                if (easy_ != nullptr) curl_easy_cleanup(easy_);
                easy_ = nullptr;
                return;
            }
            // One more round drains what is left, still in batches; new spans are refused now.
        }
    }
}

bool SpanExporter::Post(const std::string& body) {
    // One handle for the exporter's life: it keeps the connection to the collector open.
    if (easy_ == nullptr) easy_ = curl_easy_init();
    CURL* easy = easy_;
    if (easy == nullptr) return false;
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    for (const auto& line : headers_) headers = curl_slist_append(headers, line.c_str());
    curl_easy_setopt(easy, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, std::min<long>(static_cast<long>(timeout_.count()), 2000L));
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, Discard);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    const CURLcode rc = curl_easy_perform(easy);
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    const bool ok = rc == CURLE_OK && status >= 200 && status < 300;
    if (!ok && last_ok_.load()) {
        // Logged on the change from working to failing only, so a dead collector does not flood the log.
        log::Warn("trace export failed; spans are dropped until the collector answers",
                  {{"endpoint", url_},
                   {"error", rc == CURLE_OK ? "HTTP " + std::to_string(status) : curl_easy_strerror(rc)}});
    }
    return ok;
}

}  // namespace kiln::observability
