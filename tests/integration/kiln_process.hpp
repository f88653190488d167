#pragma once

// Helpers for integration tests that run the real `kiln` binary: start/stop a server on a free port with a
// throwaway data directory (and, for the Postgres suite, a throwaway database), run CLI subcommands against
// the same storage, and talk HTTP to it.
//
// Which database a test process gets is chosen by the environment of the test runner:
//   KILN_TEST_DATABASE=sqlite (or unset)  SQLite in the data directory (KILN_DATABASE_URL is not set)
//   KILN_TEST_DATABASE=postgres           a fresh `kiln_test_<hex>` database created through KILN_TEST_PG_URL
//                                         (an admin URL such as postgres://kiln:kiln@127.0.0.1:5433/postgres);
//                                         a missing KILN_TEST_PG_URL is an error, never a silent skip.
// The binary is $KILN_BINARY if set, else the path CMake compiled in as KILN_BINARY_PATH.
//
// Errors (binary missing, server not healthy in time, unreachable URL, ...) are thrown as std::runtime_error;
// GoogleTest reports an exception escaping a test body as a failure of that test.

#include <curl/curl.h>
#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace kiln::testing {

using EnvMap = std::map<std::string, std::string>;
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A TCP port on 127.0.0.1 that is bound, never listened on, for as long as this object lives: a connection to it is
// refused, and no other process can take the port meanwhile (unlike a port found free and closed again).
class RefusingPort {
  public:
    RefusingPort();
    ~RefusingPort();
    RefusingPort(const RefusingPort&) = delete;
    RefusingPort& operator=(const RefusingPort&) = delete;
    int port() const { return port_; }

  private:
    int fd_ = -1;
    int port_ = 0;
};

// "sqlite" or "postgres", from KILN_TEST_DATABASE; throws on any other value.
std::string TestDatabaseKind();

// Exit status convention of Stop/RunCli/Cli: the exit code for a normal exit, 128 + N when killed by signal N
// (like a shell's $?).
int DecodeWaitStatus(int wait_status);

class KilnProcess {
  public:
    // `extra_env` is added to (and overrides) the variables the process would otherwise get.
    explicit KilnProcess(EnvMap extra_env = {});
    // Lets `KilnProcess process({{"NAME", "value"}})` resolve unambiguously.
    KilnProcess(std::initializer_list<EnvMap::value_type> extra_env) : KilnProcess(EnvMap(extra_env)) {}
    ~KilnProcess();

    KilnProcess(const KilnProcess&) = delete;
    KilnProcess& operator=(const KilnProcess&) = delete;
    KilnProcess(KilnProcess&&) = delete;
    KilnProcess& operator=(KilnProcess&&) = delete;

    // Starts `kiln serve` on a fresh free port and waits (up to 30 s) until GET /api/v1/health/live answers 200.
    // Throws, with the server's output, if it exits or does not become healthy. May be called again after
    // Stop(): the server restarts on the same data directory and database (on a new port).
    void Start();

    // Sends `signal`, waits up to 30 s for the process to exit and returns its exit status (see
    // DecodeWaitStatus). Throws if it is not running or does not exit in time (it is then SIGKILLed).
    int Stop(int signal = SIGTERM);

    // True while the server process has not exited.
    bool Running();

    // Everything the server printed on stdout and stderr so far (across restarts).
    std::string Output() const;

    // Runs `kiln ARGS...` synchronously against this process's storage (same data directory, database URL and
    // extra environment; usable before Start()). Returns the exit status; combined stdout+stderr go to
    // *output when it is not null.
    int Cli(const std::vector<std::string>& args, std::string* output = nullptr);

    // Runs `kiln ARGS...` synchronously with the current environment plus `env`, capturing combined
    // stdout+stderr into *output when it is not null. Throws if it runs longer than 120 s.
    static int RunCli(const std::vector<std::string>& args, const EnvMap& env, std::string* output);

    int port() const { return port_; }
    pid_t pid() const { return pid_; }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    const std::string& data_dir() const { return data_dir_; }
    // Empty for SQLite.
    const std::string& database_url() const { return database_url_; }
    bool uses_postgres() const { return !database_name_.empty(); }

  private:
    // Creates the temp directory and, for Postgres, the database; idempotent.
    void Prepare();
    // The variables this process adds to the inherited environment (without PORT).
    EnvMap StorageEnv() const;
    // The inherited environment with `overrides` applied, as NAME=VALUE entries for the child.
    std::vector<std::string> ChildEnvironment(const EnvMap& overrides) const;
    static int RunCliWithEnvironment(const std::vector<std::string>& args, const std::vector<std::string>& env,
                                     std::string* output);
    void KillAndReap() noexcept;
    void DropDatabase() noexcept;

    EnvMap extra_env_;
    std::string root_dir_;  // mkdtemp directory: holds data/ and kiln.log
    std::string data_dir_;
    std::string log_path_;
    std::string admin_url_;      // Postgres admin URL used to create/drop the database
    std::string database_name_;  // created by us; empty when not using a per-test Postgres database
    std::string database_url_;
    int port_ = 0;
    pid_t pid_ = -1;
};

struct HttpResponse {
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lowercased names; repeated headers joined with ", "

    // Parses the body as JSON; throws std::runtime_error (quoting the body) if it is not JSON.
    nlohmann::json Json() const;
    // Value of a header (name case-insensitive), or "" if absent.
    std::string Header(const std::string& name) const;
};

// A small blocking HTTP client on one reused libcurl easy handle (so connections are kept alive between
// requests). Not thread-safe: use one client per thread.
class HttpClient {
  public:
    HttpClient();
    ~HttpClient();

    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;
    HttpClient(HttpClient&&) noexcept;
    HttpClient& operator=(HttpClient&&) noexcept;

    // Sends one request and returns the response whatever its status; throws std::runtime_error only on
    // transport errors (connection refused, timeout, ...). `body` is sent byte for byte (it may hold invalid
    // UTF-8 or NULs). When `body` is non-empty, Content-Type defaults to application/json unless `headers`
    // sets one.
    HttpResponse Request(const std::string& method, const std::string& url, const std::string& body = "",
                         const HeaderList& headers = {});

    HttpResponse Get(const std::string& url, const HeaderList& headers = {});
    HttpResponse Delete(const std::string& url, const HeaderList& headers = {});
    // The std::string / const char* overloads send the text as is; the JSON overloads send body.dump().
    HttpResponse Post(const std::string& url, const nlohmann::json& body, const HeaderList& headers = {});
    HttpResponse Post(const std::string& url, const std::string& body, const HeaderList& headers = {});
    HttpResponse Post(const std::string& url, const char* body, const HeaderList& headers = {});
    HttpResponse Put(const std::string& url, const nlohmann::json& body, const HeaderList& headers = {});
    HttpResponse Put(const std::string& url, const std::string& body, const HeaderList& headers = {});
    HttpResponse Put(const std::string& url, const char* body, const HeaderList& headers = {});
    HttpResponse Patch(const std::string& url, const nlohmann::json& body, const HeaderList& headers = {});
    HttpResponse Patch(const std::string& url, const std::string& body, const HeaderList& headers = {});
    HttpResponse Patch(const std::string& url, const char* body, const HeaderList& headers = {});

    // Whole-request timeout; 30 s by default.
    void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

  private:
    struct CurlDeleter {
        void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
    };

    std::unique_ptr<CURL, CurlDeleter> curl_;
    std::chrono::milliseconds timeout_{30000};
};

}  // namespace kiln::testing
