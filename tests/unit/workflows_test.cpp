// Pure logic of workflow rules: paths into event data, conditions, and templates.
#include <gtest/gtest.h>

#include "modules/workflows/conditions.hpp"
#include "modules/workflows/json_path.hpp"
#include "modules/workflows/templates.hpp"

namespace kiln::workflows {
namespace {

using nlohmann::json;

Condition Make(const std::string& field, const std::string& op, json value = nullptr) {
    return {*JsonPath::Parse(field), op, std::move(value)};
}

TEST(JsonPath, FindsObjectKeysAndArrayIndexes) {
    const json data = {{"order", {{"lines", {{{"sku", "A"}}, {{"sku", "B"}}}}, {"total", 5}}}};
    EXPECT_EQ(*JsonPath::Parse("order.lines.1.sku")->Find(data), "B");
    EXPECT_EQ(*JsonPath::Parse("order.total")->Find(data), 5);
    EXPECT_EQ(JsonPath::Parse("order.lines.2.sku")->Find(data), nullptr);
    EXPECT_EQ(JsonPath::Parse("order.total.x")->Find(data), nullptr);
    EXPECT_FALSE(JsonPath::Parse(""));
    EXPECT_FALSE(JsonPath::Parse("a..b"));
    EXPECT_FALSE(JsonPath::Parse(".a"));
    EXPECT_FALSE(JsonPath::Parse(std::string(201, 'a')));
}

TEST(JsonPath, FitsSchemaIsClosedAtTheTopAndWhereTheSchemaSaysSo) {
    const json schema = {
        {"type", "object"},
        {"properties",
         {{"invoice", {{"type", "object"}, {"properties", {{"number", {{"type", "string"}}}}}}},
          {"strict", {{"type", "object"}, {"additionalProperties", false}, {"properties", json::object()}}},
          {"lines", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}};
    EXPECT_TRUE(JsonPath::Parse("invoice.number")->FitsSchema(schema));
    EXPECT_TRUE(JsonPath::Parse("invoice.amount_due")->FitsSchema(schema));  // open object: may exist
    EXPECT_TRUE(JsonPath::Parse("lines.0.sku")->FitsSchema(schema));
    EXPECT_FALSE(JsonPath::Parse("invoic.number")->FitsSchema(schema));
    EXPECT_FALSE(JsonPath::Parse("strict.anything")->FitsSchema(schema));
}

TEST(Conditions, OperatorsCompareNumbersAndStringsAndTreatMissingFieldsAsFalse) {
    const json data = {{"total", 1500}, {"rate", 0.5}, {"currency", "EUR"}, {"due", "2026-12-01T00:00:00Z"}};
    EXPECT_TRUE(Evaluate(Make("total", "gt", 1000), data).passed);
    EXPECT_FALSE(Evaluate(Make("total", "gt", 1500), data).passed);
    EXPECT_TRUE(Evaluate(Make("total", "gte", 1500), data).passed);
    EXPECT_TRUE(Evaluate(Make("total", "equals", 1500.0), data).passed);  // 1500 and 1500.0 are one number
    EXPECT_TRUE(Evaluate(Make("rate", "lt", 1), data).passed);
    EXPECT_TRUE(Evaluate(Make("due", "lt", "2027-01-01T00:00:00Z"), data).passed);
    EXPECT_FALSE(Evaluate(Make("currency", "gt", 5), data).passed);  // a string and a number do not compare
    EXPECT_TRUE(Evaluate(Make("currency", "in", {"USD", "EUR"}), data).passed);
    EXPECT_TRUE(Evaluate(Make("currency", "not_in", {"USD"}), data).passed);
    EXPECT_TRUE(Evaluate(Make("currency", "not_equals", "USD"), data).passed);

    const auto missing = Evaluate(Make("customer.email", "not_equals", "x"), data);
    EXPECT_FALSE(missing.passed);
    EXPECT_TRUE(missing.field_missing);
    EXPECT_FALSE(Evaluate(Make("customer.email", "exists"), data).passed);
    EXPECT_TRUE(Evaluate(Make("customer.email", "not_exists"), data).passed);
    EXPECT_TRUE(AllHold({Make("total", "gt", 1), Make("currency", "equals", "EUR")}, data));
    EXPECT_FALSE(AllHold({Make("total", "gt", 1), Make("currency", "equals", "USD")}, data));
    EXPECT_TRUE(AllHold({}, data));
}

TEST(Templates, QuotePathsIntoTheContext) {
    const json context = {{"data", {{"invoice", {{"number", "INV-7"}, {"total", 1250}, {"tags", {"a"}}}}}},
                          {"event", {{"type", "invoice.issued"}}}};
    EXPECT_EQ(RenderTemplate("Invoice {{data.invoice.number}} ({{ event.type }})", context),
              "Invoice INV-7 (invoice.issued)");
    EXPECT_EQ(RenderTemplate("{{data.invoice.total}} {{data.invoice.tags}}", context), R"(1250 ["a"])");
    EXPECT_EQ(RenderTemplate("[{{data.nothing}}] {{unclosed", context), "[] {{unclosed");
    const json rendered =
        RenderStrings({{"title", "{{data.invoice.number}}"}, {"list", {"{{event.type}}", 3}}}, context);
    EXPECT_EQ(rendered, json({{"title", "INV-7"}, {"list", {"invoice.issued", 3}}}));
}

}  // namespace
}  // namespace kiln::workflows
