// The bodies providers send (webhook payloads, API answers) as the adapters read them: JSON of any shape, with
// fields missing or of another type than documented, amounts as decimal strings. Reading never throws or
// crashes; an unreadable amount becomes nullopt / -1 (an item error), never a wrong number of cents.

#include <cstddef>
#include <cstdint>
#include <string>

#include "modules/integrations/provider_json.hpp"
#include "modules/integrations/providers/shopify/shopify_rest.hpp"

namespace {

namespace integrations = kiln::integrations;

void ReadFields(const nlohmann::json& object) {
    for (const char* name : {"id", "type", "status", "amount", "currency", "created", "sid", "event"}) {
        (void)integrations::StringField(object, name);
        (void)integrations::IdField(object, name);
        (void)integrations::IntegerField(object, name);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    if (const auto cents = integrations::DecimalToMinor(text); cents && *cents < 0) __builtin_trap();
    // Webhook bodies are parsed with exceptions off, as the inbound route does, then read defensively.
    const auto body = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) return 0;
    ReadFields(body);
    if (body.is_object()) {
        if (const auto it = body.find("data"); it != body.end()) ReadFields(*it);
        (void)integrations::MoneyToMinor(body.value("price", nlohmann::json()));
    }
    const auto product = integrations::ProductFromRest(body);
    const auto order = integrations::OrderFromRest(body);
    (void)product;
    (void)order;
    return 0;
}
