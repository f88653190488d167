// A request body through the JSON body parser and schema validation, as the dispatcher runs them for every
// route with a body: the schema uses every kind of constraint the routes declare. Bad input must end as
// BadRequest (400) or ValidationError (422, every field error collected), never as a crash or another throw.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "http/schema.hpp"

namespace {

using kiln::http::Schema;

const Schema& BodySchema() {
    static const Schema schema = [] {
        Schema line = Schema::Object();
        line.Required("product_id", Schema::String().Format("uuid"))
            .Required("quantity", Schema::Integer().Minimum(1).Maximum(1'000'000))
            .Field("unit_price", Schema::Integer().Minimum(0).Nullable())
            .Field("description", Schema::String().MaxLength(500));
        Schema body = Schema::Object();
        body.Required("name", Schema::String().MinLength(1).MaxLength(200))
            .Field("email", Schema::String().Format("email"))
            .Field("slug", Schema::String().Format("slug"))
            .Field("issued_at", Schema::String().Format("date-time").Nullable())
            .Field("status", Schema::String().Enum({"draft", "confirmed", "cancelled"}))
            .Field("active", Schema::Boolean())
            .Field("tags", Schema::ArrayOf(Schema::String().MaxLength(50)).MaxItems(20))
            .Field("lines", Schema::ArrayOf(line).MaxItems(100))
            .Field("metadata", Schema::Object().AnyProperties())
            .Field("value", Schema::Any());
        return body;
    }();
    return schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string body(reinterpret_cast<const char*>(data), size);
    try {
        const auto document = kiln::http::ParseJsonBody(body);
        BodySchema().Validate(document);
        (void)document.dump();  // rendering what was accepted (audit rows, events) must not throw either
    } catch (const kiln::ValidationError& e) {
        if (e.field_errors().empty()) __builtin_trap();  // a 422 always names its fields
    } catch (const kiln::Error&) {
        // 400: malformed JSON, invalid UTF-8, too deep, a number beyond a double
    }
    return 0;
}
