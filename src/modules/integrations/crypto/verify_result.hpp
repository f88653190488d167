#pragma once

namespace kiln::integrations::signatures {

/// Outcome of checking an inbound provider signature. Expected outcomes are values, not exceptions: a forged or
/// late webhook is normal traffic to answer with 4xx, and the distinct reasons feed logs and metrics.
enum class VerifyResult {
    kValid,
    kMissing,    // no signature header (or an empty one)
    kMalformed,  // header present but not parseable as the provider's format
    kStale,      // signed timestamp outside the tolerance window (replay protection)
    kMismatch,   // well-formed, but no configured secret/key produces it
};

/// Stable snake_case name for logs and metric labels: "valid", "missing_signature", "malformed_signature",
/// "stale_timestamp", "signature_mismatch".
const char* VerifyResultName(VerifyResult result);

}  // namespace kiln::integrations::signatures
