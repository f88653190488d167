#include "modules/billing/credit_note_routes.hpp"

#include "core/uuid.hpp"
#include "http/pagination.hpp"
#include "http/request_context.hpp"
#include "http/route_group.hpp"
#include "modules/billing/credit_note_service.hpp"

namespace kiln::billing {

namespace {

http::Response CreateCreditNote(http::RequestContext& ctx) {
    const auto& body = ctx.body();
    NewCreditNote request{.lines = std::nullopt, .reason = body.value("reason", "")};
    if (body.contains("lines")) {
        request.lines.emplace();
        for (const auto& line : body["lines"])
            request.lines->push_back({.invoice_line = line.at("invoice_line"), .quantity = line.at("quantity")});
    }
    CreditNoteEffect effect;
    try {
        effect = CreditNoteService::Create(ctx.scope(), InvoiceId(ctx.IdParam("id")), request, ctx.request_id());
    } catch (const NotFound&) {
        throw ctx.NotFoundError();
    }
    const auto shown = effect.credit_note.ToJson();
    ctx.Audit("credit_notes.create", effect.credit_note.id.str(),
              {{"credit_note", shown}, {"invoice", effect.invoice_changes}});
    return http::Response::Json(201, shown);
}

http::Response ListCreditNotes(http::RequestContext& ctx) {
    const auto page = http::PageRequest::FromQuery(ctx);
    auto invoice = ctx.Query("invoice_id");
    if (invoice && !IsUuid(*invoice)) throw ValidationError("invoice_id", "must be an invoice id");
    nlohmann::json items = nlohmann::json::array();
    for (const auto& note : CreditNoteService::List(ctx.scope(), invoice, page.after_id, page.limit))
        items.push_back(note.ToJson());
    return http::Response::Json(200, http::PageResponse(std::move(items), page));
}

http::Response GetCreditNote(http::RequestContext& ctx) {
    const auto note = CreditNoteService::Find(ctx.scope(), CreditNoteId(ctx.IdParam("id")));
    if (!note) throw ctx.NotFoundError();
    return http::Response::Json(200, note->ToJson());
}

http::Schema CreditNoteBody() {
    return http::Schema::Object()
        .Field("lines", http::Schema::ArrayOf(
                            http::Schema::Object()
                                .Required("invoice_line", http::Schema::Integer().Minimum(1).Maximum(500).Description(
                                                              "The invoice line's position, from 1"))
                                .Required("quantity", common::LineQuantitySchema()))
                            .MaxItems(500)
                            .Description("What to credit; everything not credited yet when absent"))
        .Field("reason", http::Schema::String().MaxLength(2000));
}

}  // namespace

void RegisterCreditNoteRoutes(http::RouteTable& routes) {
    http::RouteGroup of_invoice(routes, "billing", "invoices", "invoice");  // {id} is the invoice's
    of_invoice.Add({.method = http::Method::kPost,
                    .path = "/invoices/{id}/credit-notes",
                    .operation_id = "createCreditNote",
                    .summary = "Credit an issued invoice, whole or by line (reverses its revenue and tax)",
                    .body = CreditNoteBody(),
                    .success_status = 201,
                    .creates = true,
                    .handler = CreateCreditNote},
                   "update");
    http::RouteGroup notes(routes, "billing", "invoices", "credit_note");
    notes.Add({.method = http::Method::kGet,
               .path = "/credit-notes",
               .operation_id = "listCreditNotes",
               .summary = "Credit notes, newest first",
               .query = {{"invoice_id", "string", "The credit notes of this invoice"},
                         {"limit", "integer", "Page size"},
                         {"cursor", "string", "next_cursor of the previous page"}},
               .handler = ListCreditNotes},
              "read");
    notes.Add({.method = http::Method::kGet,
               .path = "/credit-notes/{id}",
               .operation_id = "getCreditNote",
               .summary = "A credit note with its lines",
               .handler = GetCreditNote},
              "read");
}

}  // namespace kiln::billing
