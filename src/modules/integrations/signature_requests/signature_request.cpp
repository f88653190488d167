#include "modules/integrations/signature_requests/signature_request.hpp"

#include <array>
#include <string_view>

namespace kiln::integrations {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 4> kProgress = {"created", "sent", "delivered", "signed"};
constexpr std::array<std::string_view, 3> kFinal = {"completed", "declined", "voided"};

json Optional(const std::optional<std::string>& value) {
    return value ? json(*value) : json();
}

}  // namespace

json SignatureRequest::ToJson() const {
    return {{"id", id.str()},
            {"integration_id", integration_id.str()},
            {"envelope_id", Optional(envelope_id)},
            {"status", status},
            {"subject", subject},
            {"message", Optional(message)},
            {"documents", documents},
            {"signers", signers},
            {"entity_type", Optional(entity_type)},
            {"entity_id", Optional(entity_id)},
            {"error", Optional(error)},
            {"created_at", FormatTimestamp(created_at)},
            {"updated_at", FormatTimestamp(updated_at)},
            {"completed_at", completed_at ? json(FormatTimestamp(*completed_at)) : json()}};
}

std::optional<int> EnvelopeStatusRank(const std::string& status) {
    for (size_t i = 0; i < kProgress.size(); ++i)
        if (kProgress[i] == status) return static_cast<int>(i);
    for (const auto& word : kFinal)
        if (word == status) return static_cast<int>(kProgress.size());
    return std::nullopt;
}

}  // namespace kiln::integrations
