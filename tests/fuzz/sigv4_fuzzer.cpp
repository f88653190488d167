// The AWS Signature Version 4 canonicaliser (SES calls) over arbitrary paths, queries, header names and values:
// it never crashes, is deterministic, and keeps the signed-headers list and the canonical request consistent.

#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "modules/integrations/crypto/aws_sigv4.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    namespace sig = kiln::integrations::signatures;
    FuzzedDataProvider input(data, size);
    sig::SigV4Request request;
    request.method = input.ConsumeBool() ? "POST" : input.ConsumeRandomLengthString(16);
    request.path = input.ConsumeRandomLengthString(256);
    request.query = input.ConsumeRandomLengthString(256);
    request.headers.emplace_back("host", input.ConsumeRandomLengthString(64));
    const auto extra = input.ConsumeIntegralInRange<int>(0, 8);
    for (int i = 0; i < extra; ++i) {
        std::string name = input.ConsumeRandomLengthString(32);
        std::string value = input.ConsumeRandomLengthString(128);
        request.headers.emplace_back(std::move(name), std::move(value));
    }
    request.body = input.ConsumeRemainingBytesAsString();
    const sig::SigV4Credentials credentials{"AKIAFUZZFUZZFUZZFUZZ", "fuzz/secret/access/key/0000000000000000", ""};
    const auto now = std::chrono::system_clock::time_point{std::chrono::seconds{1'780'000'000}};
    try {
        const auto a = sig::SignV4(request, credentials, "us-east-1", "ses", now);
        const auto b = sig::SignV4(request, credentials, "us-east-1", "ses", now);
        if (a.authorization != b.authorization || a.canonical_request != b.canonical_request) __builtin_trap();
        if (a.canonical_request.find(a.signed_headers) == std::string::npos) __builtin_trap();
    } catch (const std::invalid_argument&) {
        // a request Kiln refuses to sign (e.g. a malformed escape in the path)
    }
    return 0;
}
