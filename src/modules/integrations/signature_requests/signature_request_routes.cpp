#include "modules/integrations/signature_requests/signature_request_routes.hpp"

#include "core/crypto.hpp"
#include "core/uuid.hpp"
#include "http/request_context.hpp"
#include "http/route_group.hpp"
#include "modules/integrations/signature_requests/signature_request_repository.hpp"

namespace kiln::integrations {

namespace {

using nlohmann::json;

constexpr size_t kMaxDocuments = 20;
constexpr size_t kMaxSigners = 20;

SignatureRequest Existing(http::RequestContext& ctx) {
    auto found = SignatureRequestRepository::Find(ctx.scope(), SignatureRequestId(ctx.IdParam("id")));
    if (!found) throw ctx.NotFoundError();
    return *found;
}

std::optional<std::string> OptionalField(const json& body, const char* field) {
    if (!body.contains(field)) return std::nullopt;
    return body[field].get<std::string>();
}

/// The envelope the body describes; every problem the schema cannot see is reported at once.
EnvelopeRequest EnvelopeOf(const json& body) {
    EnvelopeRequest envelope{.subject = body.at("subject"), .message = body.value("message", "")};
    std::vector<FieldError> errors;
    if (body.at("documents").empty()) errors.push_back({"documents", "must hold at least one document"});
    if (body.at("signers").empty()) errors.push_back({"signers", "must name at least one signer"});
    for (size_t i = 0; i < body["documents"].size(); ++i) {
        const auto& document = body["documents"][i];
        SignatureDocument decoded{.name = document.at("name"), .content = ""};
        if (!crypto::Base64Decode(document.at("content_base64").get<std::string>(), decoded.content) ||
            decoded.content.empty())
            errors.push_back({"documents[" + std::to_string(i) + "].content_base64", "must be non-empty base64"});
        envelope.documents.push_back(std::move(decoded));
    }
    for (const auto& signer : body["signers"])
        envelope.signers.push_back({.email = signer.at("email"),
                                    .name = signer.at("name"),
                                    .routing_order = signer.value("routing_order", 1)});
    if (!errors.empty()) throw ValidationError(std::move(errors));
    return envelope;
}

/// Sends the envelope from inside the request (the provider's timeout bounds it) before anything is
/// written; the request is stored only once the provider has the envelope.
http::Handler Create(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        const json& body = ctx.body();
        const EnvelopeRequest envelope = EnvelopeOf(body);
        const Integration integration =
            service.Choose(ctx.scope(), OptionalField(body, "integration_id"), "signatures");
        const EnvelopeStatus sent = service.ConnectInRequest(ctx.tenant(), integration)->signatures().Send(envelope);

        ctx.BeginWrites();
        const Timestamp now = Now();
        SignatureRequest request{.id = SignatureRequestId(NewUuidV7()),
                                 .integration_id = integration.id,
                                 .envelope_id = sent.envelope_id,
                                 .status = sent.status.empty() ? "sent" : sent.status,
                                 .subject = envelope.subject,
                                 .message = OptionalField(body, "message"),
                                 .entity_type = OptionalField(body, "entity_type"),
                                 .entity_id = OptionalField(body, "entity_id"),
                                 .created_at = now,
                                 .updated_at = now};
        for (const auto& document : envelope.documents) request.documents.push_back({{"name", document.name}});
        for (const auto& signer : envelope.signers)
            request.signers.push_back(
                {{"email", signer.email}, {"name", signer.name}, {"routing_order", signer.routing_order}});
        if (request.status == "completed") request.completed_at = now;
        SignatureRequestRepository::Insert(ctx.scope(), request);
        ctx.Audit("signature_requests.create", request.id.str(),
                  {{"integration_id", integration.id.str()},
                   {"envelope_id", sent.envelope_id},
                   {"documents", envelope.documents.size()},
                   {"signers", envelope.signers.size()}});
        return http::Response::Json(201, request.ToJson());
    };
}

http::Handler Get() {
    return [](http::RequestContext& ctx) { return http::Response::Json(200, Existing(ctx).ToJson()); };
}

http::Handler Refresh(const IntegrationService& service) {
    return [&service](http::RequestContext& ctx) {
        const SignatureRequest request = Existing(ctx);
        if (!request.envelope_id) throw Conflict("The signature request has no envelope at the provider.");
        const auto integration = service.repository().Find(ctx.scope(), request.integration_id);
        if (!integration) throw Conflict("The integration that sent this envelope was deleted.");
        const EnvelopeStatus current =
            service.ConnectInRequest(ctx.tenant(), *integration)->signatures().Status(*request.envelope_id);

        ctx.BeginWrites();
        const bool changed = SignatureRequestRepository::UpdateStatus(ctx.scope(), request.id, current.status);
        const auto stored = SignatureRequestRepository::Find(ctx.scope(), request.id);
        if (!stored) throw ctx.NotFoundError();  // deleted while the provider answered
        ctx.Audit("signature_requests.refresh", request.id.str(),
                  changed ? json{{"status", {{"from", request.status}, {"to", stored->status}}}} : json::object());
        return http::Response::Json(200, stored->ToJson());
    };
}

http::Schema CreateBody() {
    const auto document =
        http::Schema::Object()
            .Required("name", http::Schema::String().MinLength(1).MaxLength(100))
            .Required("content_base64", http::Schema::String().MinLength(1).Description("standard base64"));
    const auto signer = http::Schema::Object()
                            .Required("email", http::Schema::String().Format("email").MaxLength(100))
                            .Required("name", http::Schema::String().MinLength(1).MaxLength(100))
                            .Field("routing_order", http::Schema::Integer().Minimum(1).Maximum(999));
    return http::Schema::Object()
        .Field("integration_id", http::Schema::String().Format("uuid"))
        .Required("subject", http::Schema::String().MinLength(1).MaxLength(100))
        .Field("message", http::Schema::String().MaxLength(10000))
        .Required("documents", http::Schema::ArrayOf(document).MaxItems(kMaxDocuments))
        .Required("signers", http::Schema::ArrayOf(signer).MaxItems(kMaxSigners))
        .Field("entity_type", http::Schema::String().MinLength(1).MaxLength(50))
        .Field("entity_id", http::Schema::String().MinLength(1).MaxLength(100));
}

}  // namespace

void RegisterSignatureRequestRoutes(http::RouteTable& routes, const IntegrationService& service) {
    const std::string collection = "/signature-requests";
    const std::string item = collection + "/{id}";
    http::RouteGroup group(routes, "integrations", "integrations", "signature_request");
    group.Add({.method = http::Method::kPost,
               .path = collection,
               .operation_id = "createSignatureRequest",
               .summary = "Send documents for signature through the tenant's signature provider (DocuSign)",
               .body = CreateBody(),
               .success_status = 201,
               .creates = true,
               .slow_io = true,
               .handler = Create(service)},
              "create");
    group.Add({.method = http::Method::kGet,
               .path = item,
               .operation_id = "getSignatureRequest",
               .summary = "A signature request with the envelope's last known status",
               .handler = Get()},
              "read");
    group.Add({.method = http::Method::kPost,
               .path = item + "/refresh",
               .operation_id = "refreshSignatureRequest",
               .summary = "Ask the provider for the envelope's status and store it (forward only)",
               .slow_io = true,
               .handler = Refresh(service)},
              "update");
}

}  // namespace kiln::integrations
