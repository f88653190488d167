#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "db/database.hpp"
#include "jobs/job_handler.hpp"
#include "modules/identity/identity_settings.hpp"

namespace kiln::identity {

/// Job kinds that mail links; their payloads hold ids only, never a token.
inline constexpr std::string_view kInvitationMailJob = "identity.invitation_mail";
inline constexpr std::string_view kPasswordResetMailJob = "identity.password_reset_mail";

inline constexpr std::string_view kInvitationTokenPrefix = "kiln_inv_";
inline constexpr std::string_view kResetTokenPrefix = "kiln_rst_";

/// Issues a fresh token for a pending invitation (replacing any earlier one, whose link stops
/// working) and returns the link; nothing when the invitation is not pending. The token exists
/// only in the returned link: the database keeps its SHA-256. Used by the mail job and by
/// `kiln admin invitation-link`.
std::optional<std::string> IssueInvitationLink(const db::TenantScope& scope, const std::string& invitation_id,
                                               const IdentitySettings& settings);

/// Registers the two mail jobs. Each issues the token when it runs, so a retried job mails a new
/// link and nothing secret waits in the queue.
void RegisterIdentityJobs(jobs::JobHandlerRegistry& registry, const IdentitySettings& settings);

}  // namespace kiln::identity
