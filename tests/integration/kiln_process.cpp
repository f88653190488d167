#include "kiln_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <pqxx/pqxx>

namespace kiln::testing {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr auto kStopTimeout = std::chrono::seconds(30);
constexpr auto kCliTimeout = std::chrono::seconds(120);
constexpr auto kPollInterval = std::chrono::milliseconds(50);
constexpr const char* kHealthPath = "/api/v1/health/live";

[[noreturn]] void ThrowErrno(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

std::string Getenv(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
}

std::string ToLower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string Trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

std::string RandomHex(std::size_t bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::random_device device;
    std::string out;
    for (std::size_t i = 0; i < bytes; ++i) {
        const auto byte = static_cast<unsigned>(device()) & 0xffU;
        out += kDigits[byte >> 4U];
        out += kDigits[byte & 0xfU];
    }
    return out;
}

std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

std::string BinaryPath() {
    std::string path = Getenv("KILN_BINARY");
#ifdef KILN_BINARY_PATH
    if (path.empty()) path = KILN_BINARY_PATH;
#endif
    if (path.empty()) {
        throw std::runtime_error("kiln binary unknown: set KILN_BINARY or compile with -DKILN_BINARY_PATH=...");
    }
    if (::access(path.c_str(), X_OK) != 0) ThrowErrno("kiln binary " + path + " is not executable");
    return path;
}

// Replaces the database name (the URL path) of a postgres:// URL, keeping any query string.
std::string WithDatabase(const std::string& url, const std::string& database) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) throw std::runtime_error("not a database URL: " + url);
    const auto authority = scheme_end + 3;
    const auto query = url.find('?', authority);
    const auto path = url.find('/', authority);
    const auto authority_end = std::min(path, query);
    std::string result = url.substr(0, authority_end) + "/" + database;
    if (query != std::string::npos) result += url.substr(query);
    return result;
}

// The current environment with `overrides` applied, as a NAME=VALUE list for execve.
std::vector<std::string> BuildEnvironment(const EnvMap& overrides) {
    EnvMap merged;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string item(*entry);
        const auto eq = item.find('=');
        if (eq == std::string::npos) continue;
        merged[item.substr(0, eq)] = item.substr(eq + 1);
    }
    for (const auto& [name, value] : overrides) merged[name] = value;
    std::vector<std::string> result;
    result.reserve(merged.size());
    for (const auto& [name, value] : merged) {
        result.push_back(name);
        result.back().append("=").append(value);
    }
    return result;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
    std::vector<char*> result;
    result.reserve(strings.size() + 1);
    for (auto& s : strings) result.push_back(s.data());
    result.push_back(nullptr);
    return result;
}

// Owns a file descriptor.
class Fd {
  public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() { Reset(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            Reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    int get() const { return fd_; }
    int Release() { return std::exchange(fd_, -1); }
    void Reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

  private:
    int fd_;
};

// fork + execve of `binary args...` with exactly `env`, stdin from /dev/null and stdout+stderr on `output_fd`.
// Everything the child needs is allocated before fork(); the child only makes async-signal-safe calls. The
// child gets SIGKILL if the forking thread dies, so a crashed test never leaves a server behind.
pid_t Spawn(const std::string& binary, const std::vector<std::string>& args, const std::vector<std::string>& env,
            int output_fd) {
    std::vector<std::string> argv_storage;
    argv_storage.push_back(binary);
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<std::string> env_storage = env;
    std::vector<char*> argv = CStrings(argv_storage);
    std::vector<char*> envp = CStrings(env_storage);

    Fd dev_null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (dev_null.get() < 0) ThrowErrno("open /dev/null");
    const pid_t parent = ::getpid();

    const pid_t pid = ::fork();
    if (pid < 0) ThrowErrno("fork");
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        for (const int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::signal(sig, SIG_DFL);
        if (::dup2(dev_null.get(), STDIN_FILENO) < 0 || ::dup2(output_fd, STDOUT_FILENO) < 0 ||
            ::dup2(output_fd, STDERR_FILENO) < 0) {
            ::_exit(127);
        }
        ::close_range(3, ~0U, 0);
        ::execve(argv[0], argv.data(), envp.data());
        static constexpr char kMessage[] = "kiln_process: execve failed\n";
        [[maybe_unused]] const auto ignored = ::write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
        ::_exit(127);
    }
    return pid;
}

// waitpid(WNOHANG) until the child exits or `deadline`; returns the raw wait status or nullopt on timeout.
std::optional<int> WaitUntil(pid_t pid, Clock::time_point deadline) {
    while (true) {
        int status = 0;
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) return status;
        if (r < 0 && errno != EINTR) ThrowErrno("waitpid");
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::string DescribeStatus(int decoded) {
    if (decoded > 128) return "killed by signal " + std::to_string(decoded - 128);
    return "exit code " + std::to_string(decoded);
}

/// One readiness probe; what went wrong is left in `last_error`.
bool Healthy(HttpClient& client, const std::string& url, std::string& last_error) {
    try {
        const HttpResponse response = client.Get(url);
        if (response.status == 200) return true;
        last_error = "HTTP " + std::to_string(response.status) + ": " + response.body;
    } catch (const std::exception& e) {
        last_error = e.what();
    }
    return false;
}

/// The port kiln serve wrote to KILN_PORT_FILE once it was listening; 0 while there is none.
int ReadPortFile(const std::string& path) {
    std::ifstream in(path);
    int port = 0;
    return (in >> port) ? port : 0;
}

}  // namespace

RefusingPort::RefusingPort() {
    Fd sock(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (sock.get() < 0) ThrowErrno("socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) ThrowErrno("bind 127.0.0.1:0");
    socklen_t len = sizeof(addr);
    if (::getsockname(sock.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) ThrowErrno("getsockname");
    port_ = ntohs(addr.sin_port);
    fd_ = sock.Release();
}

RefusingPort::~RefusingPort() {
    if (fd_ >= 0) ::close(fd_);
}

std::string TestDatabaseKind() {
    const std::string kind = Getenv("KILN_TEST_DATABASE");
    if (kind.empty() || kind == "sqlite") return "sqlite";
    if (kind == "postgres") return "postgres";
    throw std::runtime_error("KILN_TEST_DATABASE must be 'sqlite' or 'postgres', got '" + kind + "'");
}

int DecodeWaitStatus(int wait_status) {
    if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
    return -1;
}

// ---------------------------------------------------------------------------------------------------------------
// KilnProcess

KilnProcess::KilnProcess(EnvMap extra_env) : extra_env_(std::move(extra_env)) {}

KilnProcess::~KilnProcess() {
    KillAndReap();
    DropDatabase();
    if (!root_dir_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(root_dir_, ignored);
    }
}

void KilnProcess::Prepare() {
    if (root_dir_.empty()) {
        std::string pattern = "/tmp/kiln-test-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) ThrowErrno("mkdtemp " + pattern);
        root_dir_ = pattern;
        data_dir_ = root_dir_ + "/data";
        log_path_ = root_dir_ + "/kiln.log";
        std::filesystem::create_directory(data_dir_);
    }

    if (!database_url_.empty() || extra_env_.contains("KILN_DATABASE_URL")) return;
    if (TestDatabaseKind() != "postgres") return;

    admin_url_ = Getenv("KILN_TEST_PG_URL");
    if (admin_url_.empty()) {
        throw std::runtime_error(
            "KILN_TEST_DATABASE=postgres but KILN_TEST_PG_URL is not set (expected an admin URL such as "
            "postgres://kiln:kiln@127.0.0.1:5433/postgres; scripts/test.sh starts a cluster and sets it)");
    }
    const std::string name = "kiln_test_" + RandomHex(8);
    try {
        pqxx::connection connection(admin_url_);
        pqxx::nontransaction tx(connection);
        tx.exec("CREATE DATABASE " + tx.quote_name(name));
    } catch (const std::exception& e) {
        throw std::runtime_error("creating test database " + name + " via " + admin_url_ + " failed: " + e.what());
    }
    database_name_ = name;
    database_url_ = WithDatabase(admin_url_, name);
}

EnvMap KilnProcess::StorageEnv() const {
    EnvMap env{
        {"KILN_ADDRESS", "127.0.0.1"},
        {"KILN_DATA_DIR", data_dir_},
        {"KILN_LOG_LEVEL", "warn"},
    };
    if (!database_url_.empty()) env["KILN_DATABASE_URL"] = database_url_;
    for (const auto& [name, value] : extra_env_) env[name] = value;
    return env;
}

void KilnProcess::Start() {
    if (pid_ > 0 && Running()) throw std::logic_error("KilnProcess::Start: already running");
    Prepare();
    const std::string binary = BinaryPath();

    // The first start binds any free port and reports it through KILN_PORT_FILE (no window in which
    // another process can take a port picked for us); a restart keeps the port, so URLs handed out stay valid.
    if (extra_env_.contains("PORT")) port_ = std::stoi(extra_env_.at("PORT"));
    const std::string port_file = root_dir_ + "/port";
    std::filesystem::remove(port_file);
    EnvMap overrides = StorageEnv();
    overrides["PORT"] = std::to_string(port_);
    overrides["KILN_PORT_FILE"] = port_file;
    const std::vector<std::string> env = ChildEnvironment(overrides);

    Fd log(::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (log.get() < 0) ThrowErrno("open " + log_path_);
    pid_ = Spawn(binary, {"serve"}, env, log.get());
    log.Reset();

    HttpClient client;
    client.set_timeout(std::chrono::seconds(2));
    const auto deadline = Clock::now() + kStartTimeout;
    std::string last_error = "no response yet";
    while (true) {
        if (const auto status = WaitUntil(pid_, Clock::now())) {
            pid_ = -1;
            throw std::runtime_error("kiln serve exited during startup (" + DescribeStatus(DecodeWaitStatus(*status)) +
                                     "); output:\n" + Output());
        }
        if (port_ == 0) port_ = ReadPortFile(port_file);
        if (port_ == 0) {
            last_error = "the port is not bound yet";
        } else if (Healthy(client, base_url() + kHealthPath, last_error)) {
            return;
        }
        if (Clock::now() >= deadline) break;
        std::this_thread::sleep_for(kPollInterval);
    }
    KillAndReap();
    throw std::runtime_error("kiln serve did not become healthy within 30 s at " + base_url() +
                             " (last: " + last_error + "); output:\n" + Output());
}

int KilnProcess::Stop(int signal) {
    if (pid_ <= 0) throw std::logic_error("KilnProcess::Stop: not running");
    if (::kill(pid_, signal) != 0 && errno != ESRCH) ThrowErrno("kill");
    const auto status = WaitUntil(pid_, Clock::now() + kStopTimeout);
    if (!status) {
        KillAndReap();
        throw std::runtime_error("kiln serve did not exit within 30 s of signal " + std::to_string(signal) +
                                 "; output:\n" + Output());
    }
    pid_ = -1;
    return DecodeWaitStatus(*status);
}

bool KilnProcess::Running() {
    if (pid_ <= 0) return false;
    if (WaitUntil(pid_, Clock::now())) {
        pid_ = -1;
        return false;
    }
    return true;
}

std::string KilnProcess::Output() const {
    return log_path_.empty() ? "" : ReadFile(log_path_);
}

std::vector<std::string> KilnProcess::ChildEnvironment(const EnvMap& overrides) const {
    std::vector<std::string> env = BuildEnvironment(overrides);
    // A SQLite run must not pick up a database URL from the test runner's environment.
    if (!overrides.contains("KILN_DATABASE_URL")) {
        std::erase_if(env, [](const std::string& item) { return item.starts_with("KILN_DATABASE_URL="); });
    }
    return env;
}

int KilnProcess::Cli(const std::vector<std::string>& args, std::string* output) {
    Prepare();
    return RunCliWithEnvironment(args, ChildEnvironment(StorageEnv()), output);
}

int KilnProcess::RunCli(const std::vector<std::string>& args, const EnvMap& env, std::string* output) {
    return RunCliWithEnvironment(args, BuildEnvironment(env), output);
}

int KilnProcess::RunCliWithEnvironment(const std::vector<std::string>& args, const std::vector<std::string>& env,
                                       std::string* output) {
    const std::string binary = BinaryPath();
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) ThrowErrno("pipe2");
    Fd read_end(fds[0]);
    Fd write_end(fds[1]);
    const pid_t pid = Spawn(binary, args, env, write_end.get());
    write_end.Reset();

    std::string captured;
    const auto deadline = Clock::now() + kCliTimeout;
    char buffer[4096];
    while (true) {
        const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (remaining.count() <= 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            throw std::runtime_error("kiln CLI did not finish within 120 s; output:\n" + captured);
        }
        pollfd pfd{read_end.get(), POLLIN, 0};
        const int ready = ::poll(&pfd, 1, static_cast<int>(std::min<long long>(remaining.count(), 1000)));
        if (ready < 0) {
            if (errno == EINTR) continue;
            ThrowErrno("poll");
        }
        if (ready == 0) continue;
        const ssize_t n = ::read(read_end.get(), buffer, sizeof(buffer));
        if (n < 0) {
            if (errno == EINTR) continue;
            ThrowErrno("read");
        }
        if (n == 0) break;  // every writer (the CLI and anything it spawned) closed the pipe
        captured.append(buffer, static_cast<std::size_t>(n));
    }

    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) ThrowErrno("waitpid");
    }
    if (output != nullptr) *output = std::move(captured);
    return DecodeWaitStatus(status);
}

void KilnProcess::KillAndReap() noexcept {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
}

void KilnProcess::DropDatabase() noexcept {
    if (database_name_.empty()) return;
    try {
        pqxx::connection connection(admin_url_);
        pqxx::nontransaction tx(connection);
        tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(database_name_) + " WITH (FORCE)");
    } catch (const std::exception& e) {
        std::cerr << "kiln_process: could not drop test database " << database_name_ << ": " << e.what() << "\n";
    }
    database_name_.clear();
}

// ---------------------------------------------------------------------------------------------------------------
// HttpResponse

nlohmann::json HttpResponse::Json() const {
    try {
        return nlohmann::json::parse(body);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error("response body is not JSON (HTTP " + std::to_string(status) + ", " + e.what() +
                                 "): " + body);
    }
}

std::string HttpResponse::Header(const std::string& name) const {
    const auto it = headers.find(ToLower(name));
    return it != headers.end() ? it->second : "";
}

// ---------------------------------------------------------------------------------------------------------------
// HttpClient

namespace {

std::size_t WriteBody(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

std::size_t WriteHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* headers = static_cast<std::map<std::string, std::string>*>(user);
    const std::string line(data, size * count);
    if (line.starts_with("HTTP/")) {
        headers->clear();  // a new response head (e.g. after 100 Continue or a redirect)
        return size * count;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) return size * count;
    const std::string name = ToLower(Trim(line.substr(0, colon)));
    const std::string value = Trim(line.substr(colon + 1));
    auto [it, inserted] = headers->emplace(name, value);
    if (!inserted) it->second += ", " + value;
    return size * count;
}

struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

template <typename T>
void SetOpt(CURL* curl, CURLoption option, T value) {
    const CURLcode rc = curl_easy_setopt(curl, option, value);
    if (rc != CURLE_OK) throw std::runtime_error(std::string("curl_easy_setopt: ") + curl_easy_strerror(rc));
}

}  // namespace

HttpClient::HttpClient() {
    static std::once_flag global_init;
    std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    curl_.reset(curl_easy_init());
    if (!curl_) throw std::runtime_error("curl_easy_init failed");
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpResponse HttpClient::Request(const std::string& method, const std::string& url, const std::string& body,
                                 const HeaderList& headers) {
    CURL* curl = curl_.get();
    // Options point into this frame, so they are reset on the way out. A reset keeps the handle's open
    // connections (keep-alive) and caches.
    struct ResetOnExit {
        CURL* curl;
        ~ResetOnExit() { curl_easy_reset(curl); }
    } reset_on_exit{curl};
    curl_easy_reset(curl);

    HttpResponse response;
    char error[CURL_ERROR_SIZE] = {};
    SetOpt(curl, CURLOPT_URL, url.c_str());
    SetOpt(curl, CURLOPT_NOPROXY, "*");
    SetOpt(curl, CURLOPT_NOSIGNAL, 1L);
    SetOpt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
    SetOpt(curl, CURLOPT_ERRORBUFFER, error);
    SetOpt(curl, CURLOPT_WRITEFUNCTION, &WriteBody);
    SetOpt(curl, CURLOPT_WRITEDATA, &response.body);
    SetOpt(curl, CURLOPT_HEADERFUNCTION, &WriteHeader);
    SetOpt(curl, CURLOPT_HEADERDATA, &response.headers);

    const bool sends_body = !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
    if (method == "HEAD") {
        SetOpt(curl, CURLOPT_NOBODY, 1L);
    } else if (method == "GET" && !sends_body) {
        SetOpt(curl, CURLOPT_HTTPGET, 1L);
    } else {
        SetOpt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
        if (sends_body) {
            SetOpt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
            SetOpt(curl, CURLOPT_POSTFIELDS, body.data());
        }
    }

    bool has_content_type = false;
    bool has_expect = false;
    std::unique_ptr<curl_slist, SlistDeleter> header_list;
    auto append = [&header_list](const std::string& line) {
        curl_slist* next = curl_slist_append(header_list.get(), line.c_str());
        if (next == nullptr) throw std::runtime_error("curl_slist_append failed");
        if (!header_list) header_list.reset(next);  // later appends return the same head
    };
    for (const auto& [name, value] : headers) {
        const std::string lower = ToLower(name);
        has_content_type = has_content_type || lower == "content-type";
        has_expect = has_expect || lower == "expect";
        // "Name;" is curl's way to send a header with an empty value ("Name:" would remove it).
        std::string line = name;
        line.append(value.empty() ? ";" : ": ").append(value);
        append(line);
    }
    if (sends_body && !has_content_type) {
        // Empty bodies get no Content-Type rather than curl's form-urlencoded default.
        append(body.empty() ? "Content-Type:" : "Content-Type: application/json");
    }
    if (sends_body && !has_expect) append("Expect:");  // send the body at once, no 100-continue round trip
    if (header_list) SetOpt(curl, CURLOPT_HTTPHEADER, header_list.get());

    const CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
        throw std::runtime_error(method + " " + url +
                                 " failed: " + (error[0] != '\0' ? error : curl_easy_strerror(rc)));
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

HttpResponse HttpClient::Get(const std::string& url, const HeaderList& headers) {
    return Request("GET", url, "", headers);
}

HttpResponse HttpClient::Delete(const std::string& url, const HeaderList& headers) {
    return Request("DELETE", url, "", headers);
}

HttpResponse HttpClient::Post(const std::string& url, const nlohmann::json& body, const HeaderList& headers) {
    return Request("POST", url, body.dump(), headers);
}

HttpResponse HttpClient::Post(const std::string& url, const std::string& body, const HeaderList& headers) {
    return Request("POST", url, body, headers);
}

HttpResponse HttpClient::Post(const std::string& url, const char* body, const HeaderList& headers) {
    return Request("POST", url, body, headers);
}

HttpResponse HttpClient::Put(const std::string& url, const nlohmann::json& body, const HeaderList& headers) {
    return Request("PUT", url, body.dump(), headers);
}

HttpResponse HttpClient::Put(const std::string& url, const std::string& body, const HeaderList& headers) {
    return Request("PUT", url, body, headers);
}

HttpResponse HttpClient::Put(const std::string& url, const char* body, const HeaderList& headers) {
    return Request("PUT", url, body, headers);
}

HttpResponse HttpClient::Patch(const std::string& url, const nlohmann::json& body, const HeaderList& headers) {
    return Request("PATCH", url, body.dump(), headers);
}

HttpResponse HttpClient::Patch(const std::string& url, const std::string& body, const HeaderList& headers) {
    return Request("PATCH", url, body, headers);
}

HttpResponse HttpClient::Patch(const std::string& url, const char* body, const HeaderList& headers) {
    return Request("PATCH", url, body, headers);
}

}  // namespace kiln::testing
