#pragma once

#include <cstddef>

/// Bounds on the parts of a request that arrive before the body, enforced by the server's HTTP parser
/// (RESTinio's incoming_http_msg_limits): a client cannot make Kiln buffer megabytes of headers or a URL.
/// The body's own limit is KILN_MAX_BODY_BYTES. tests/fuzz/http_request_fuzzer.cpp parses under the same ones.
namespace kiln::http::limits {

inline constexpr std::size_t kMaxUrlBytes = std::size_t{8} * 1024;
inline constexpr std::size_t kMaxHeaderNameBytes = 256;
inline constexpr std::size_t kMaxHeaderValueBytes = std::size_t{16} * 1024;
inline constexpr std::size_t kMaxHeaderCount = 100;

}  // namespace kiln::http::limits
