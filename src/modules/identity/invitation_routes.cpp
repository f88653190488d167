#include "auth/authenticator.hpp"
#include "auth/token.hpp"
#include "core/crypto.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "jobs/job_queue.hpp"
#include "modules/identity/identity_mail.hpp"
#include "modules/identity/identity_routes.hpp"
#include "modules/identity/invitation_repository.hpp"
#include "modules/tenancy/membership_service.hpp"
#include "modules/tenancy/role_grants.hpp"
#include "modules/tenancy/user_directory.hpp"

namespace kiln::identity {

namespace {

/// One answer for every token that cannot be used (unknown, used, revoked, expired, replaced):
/// the holder of a stale link learns nothing more.
[[noreturn]] void RefuseToken() {
    throw ValidationError("token", "is not a valid invitation: it may have expired, been used or been revoked");
}

Invitation FindInvitation(http::RequestContext& ctx) {
    auto invitation = InvitationRepository::Find(ctx.scope(), ctx.IdParam("id"));
    if (!invitation) throw ctx.NotFoundError();
    return std::move(*invitation);
}

/// The answer is the invitation and nothing else, whether or not the address has an account on
/// the platform: an admin cannot use invitations to find out who else uses Kiln.
http::Response CreateInvitation(http::RequestContext& ctx, const IdentitySettings& settings) {
    const std::string email = ctx.body().at("email");
    const std::string role = ctx.body().at("role");
    tenancy::RoleGrants::CheckAssignable(ctx.scope(), ctx.access(), role);
    const Timestamp now = Now();
    // Membership here is the tenant's own business (GET /members shows it anyway).
    if (auto user = tenancy::UserDirectory::FindUserByEmail(ctx.tx(), email);
        user && tenancy::MembershipService::RoleOf(ctx.scope(), user->id))
        throw Conflict("This address is already a member of the tenant.");
    if (InvitationRepository::FindPendingByEmail(ctx.scope(), email, now))
        throw Conflict("This address already has a pending invitation; revoke it to invite again.");
    const auto invitation = InvitationRepository::Create(
        ctx.scope(), email, role, ctx.principal().user_id,
        now + std::chrono::duration_cast<std::chrono::microseconds>(settings.invitation_ttl));
    if (settings.smtp.configured()) {
        jobs::EnqueueOptions options;
        options.dedupe_key = "invitation-mail:" + invitation.id;
        jobs::JobQueue::Enqueue(ctx.scope(), std::string(kInvitationMailJob), {{"invitation_id", invitation.id}},
                                options);
    }
    ctx.Audit("invitations.create", invitation.id, {{"email", invitation.email}, {"role", role}});
    return http::Response::Json(201, invitation.ToJson(now));
}

http::Response ListInvitations(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    return http::Response::Json(
        200, http::PageResponse(InvitationRepository::List(ctx.scope(), page.after_id, page.limit, Now()), page));
}

http::Response GetInvitation(http::RequestContext& ctx) {
    return http::Response::Json(200, FindInvitation(ctx).ToJson(Now()));
}

http::Response RevokeInvitation(http::RequestContext& ctx) {
    const auto invitation = FindInvitation(ctx);
    // Only someone who could have made the invitation may withdraw it.
    tenancy::RoleGrants::CheckOutranks(ctx.scope(), ctx.access(), invitation.role);
    if (!InvitationRepository::Revoke(ctx.scope(), invitation.id, Now()))
        throw Conflict("The invitation is no longer pending.");
    ctx.Audit("invitations.revoke", invitation.id, {{"email", invitation.email}, {"role", invitation.role}});
    return http::Response::NoContent();
}

/// The invitee proves they hold the mailbox (the token) and, when the address already has an
/// account, that they are that account (its session). Nobody but the invitee ever chooses the
/// password, so an admin cannot plant one on an account other tenants will share.
http::Response AcceptInvitation(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    const std::string token_hash = auth::HashToken(body.at("token").get<std::string>());
    auto& tx = ctx.tx();
    const auto invitation = InvitationRepository::FindByTokenHash(tx, token_hash);
    const Timestamp now = Now();
    if (!invitation || !invitation->IsPending(now)) RefuseToken();
    auto user = tenancy::UserDirectory::FindUserByEmail(tx, invitation->email);
    bool created = false;
    if (user) {
        if (body.contains("password") || body.contains("name"))
            throw ValidationError("password",
                                  "must not be sent: this address has an account; sign in as it and accept with the "
                                  "token only");
        const auto authorization = ctx.request().Header("authorization");
        if (!authorization) throw Unauthorized("Sign in as the invited address, then accept with the token.");
        const auto principal = auth::Authenticator::Authenticate(tx, *authorization);
        if (principal.kind != auth::Principal::Kind::kSession || principal.user_id != user->id)
            throw Forbidden("The invitation is for another account: sign in as the invited address.");
    } else {
        if (!body.contains("password"))
            throw ValidationError("password", "is required to create the account for the invited address");
        std::string name = body.value("name", "");
        if (name.empty()) name = invitation->email.substr(0, invitation->email.find('@'));
        const std::string hash = crypto::HashPassword(body.at("password").get<std::string>());
        user = tenancy::UserDirectory::CreateUser(tx, invitation->email, name, hash);
        created = true;
    }
    const db::TenantScope scope(tx, invitation->tenant);
    if (!InvitationRepository::Accept(scope, invitation->id, token_hash, user->id, now)) RefuseToken();
    tenancy::MembershipService::Join(scope, user->id, invitation->role);
    const auto tenant = tenancy::UserDirectory::FindTenant(tx, invitation->tenant);
    ctx.AuditInTenant(invitation->tenant, "invitations.accept", invitation->id,
                      {{"email", invitation->email},
                       {"role", invitation->role},
                       {"user_id", user->id.str()},
                       {"account_created", created}});
    return http::Response::Json(200, {{"tenant", tenant ? tenant->ToJson() : nlohmann::json(nullptr)},
                                      {"role", invitation->role},
                                      {"user", user->ToJson()}});
}

}  // namespace

void RegisterInvitationRoutes(http::RouteTable& routes, const IdentitySettings& settings) {
    routes.Add({.method = http::Method::kPost,
                .path = "/invitations",
                .operation_id = "createInvitation",
                .summary = "Invite an email address to a role; the platform mails the one-time link to that address",
                .tag = "tenancy",
                .permission = "members:create",
                .body = http::Schema::Object()
                            .Required("email", http::Schema::String().MaxLength(254).Format("email"))
                            .Required("role", http::Schema::String().MinLength(1).MaxLength(64)),
                .success_status = 201,
                .creates = true,
                .entity_type = "invitation",
                .handler = [settings](http::RequestContext& ctx) { return CreateInvitation(ctx, settings); }});
    routes.Add({.method = http::Method::kGet,
                .path = "/invitations",
                .operation_id = "listInvitations",
                .summary = "Invitations of the tenant (pending, accepted, revoked, expired); never their links",
                .tag = "tenancy",
                .permission = "members:read",
                .query = {{"limit", "integer", "Page size"}, {"cursor", "string", "next_cursor of the previous page"}},
                .entity_type = "invitation",
                .handler = ListInvitations});
    routes.Add({.method = http::Method::kGet,
                .path = "/invitations/{id}",
                .operation_id = "getInvitation",
                .summary = "One invitation",
                .tag = "tenancy",
                .permission = "members:read",
                .entity_type = "invitation",
                .handler = GetInvitation});
    routes.Add({.method = http::Method::kDelete,
                .path = "/invitations/{id}",
                .operation_id = "revokeInvitation",
                .summary = "Revoke a pending invitation; its link stops working",
                .tag = "tenancy",
                .permission = "members:delete",
                .success_status = 204,
                .entity_type = "invitation",
                .handler = RevokeInvitation});
    routes.Add({.method = http::Method::kPost,
                .path = "/invitations/accept",
                .operation_id = "acceptInvitation",
                .summary =
                    "Accept an invitation with its token: with password and name when the address has no "
                    "account yet, otherwise signed in as that account (session bearer token) with the token only",
                .tag = "tenancy",
                .access = http::Access::kPublic,
                .body = http::Schema::Object()
                            .Required("token", http::Schema::String().MinLength(1).MaxLength(200))
                            .Field("password", http::Schema::String().MinLength(10).MaxLength(200))
                            .Field("name", http::Schema::String().MinLength(1).MaxLength(200)),
                .entity_type = "invitation",
                .handler = AcceptInvitation});
}

}  // namespace kiln::identity
