#include "modules/integrations/crypto/verify_result.hpp"

namespace kiln::integrations::signatures {

const char* VerifyResultName(VerifyResult result) {
    switch (result) {
        case VerifyResult::kValid:
            return "valid";
        case VerifyResult::kMissing:
            return "missing_signature";
        case VerifyResult::kMalformed:
            return "malformed_signature";
        case VerifyResult::kStale:
            return "stale_timestamp";
        case VerifyResult::kMismatch:
            return "signature_mismatch";
    }
    return "unknown";  // only reachable through a cast of an out-of-range integer
}

}  // namespace kiln::integrations::signatures
