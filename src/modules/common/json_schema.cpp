// valijson aborts the process on its internal errors unless this is set (exceptions.hpp); it must come before the
// first valijson header, so this file is compiled on its own, not in a unity batch (cmake/UnityBuild.cmake).
#define VALIJSON_USE_EXCEPTIONS 1  // NOLINT(cppcoreguidelines-macro-usage): valijson's own switch

#include "modules/common/json_schema.hpp"

#include <pthread.h>
#include <algorithm>
#include <cctype>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <string_view>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace kiln::common {

namespace {

using nlohmann::json;

// http://json-schema.org/draft-07/schema, as published.
constexpr std::string_view kDraft07MetaSchema =
    R"json({"$schema":"http://json-schema.org/draft-07/schema#","$id":"http://json-schema.org/draft-07/schema#","title":"Core schema meta-schema","definitions":{"schemaArray":{"type":"array","minItems":1,"items":{"$ref":"#"}},"nonNegativeInteger":{"type":"integer","minimum":0},"nonNegativeIntegerDefault0":{"allOf":[{"$ref":"#/definitions/nonNegativeInteger"},{"default":0}]},"simpleTypes":{"enum":["array","boolean","integer","null","number","object","string"]},"stringArray":{"type":"array","items":{"type":"string"},"uniqueItems":true,"default":[]}},"type":["object","boolean"],"properties":{"$id":{"type":"string","format":"uri-reference"},"$schema":{"type":"string","format":"uri"},"$ref":{"type":"string","format":"uri-reference"},"$comment":{"type":"string"},"title":{"type":"string"},"description":{"type":"string"},"default":true,"readOnly":{"type":"boolean","default":false},"examples":{"type":"array","items":true},"multipleOf":{"type":"number","exclusiveMinimum":0},"maximum":{"type":"number"},"exclusiveMaximum":{"type":"number"},"minimum":{"type":"number"},"exclusiveMinimum":{"type":"number"},"maxLength":{"$ref":"#/definitions/nonNegativeInteger"},"minLength":{"$ref":"#/definitions/nonNegativeIntegerDefault0"},"pattern":{"type":"string","format":"regex"},"additionalItems":{"$ref":"#"},"items":{"anyOf":[{"$ref":"#"},{"$ref":"#/definitions/schemaArray"}],"default":true},"maxItems":{"$ref":"#/definitions/nonNegativeInteger"},"minItems":{"$ref":"#/definitions/nonNegativeIntegerDefault0"},"uniqueItems":{"type":"boolean","default":false},"contains":{"$ref":"#"},"maxProperties":{"$ref":"#/definitions/nonNegativeInteger"},"minProperties":{"$ref":"#/definitions/nonNegativeIntegerDefault0"},"required":{"$ref":"#/definitions/stringArray"},"additionalProperties":{"$ref":"#"},"definitions":{"type":"object","additionalProperties":{"$ref":"#"},"default":{}},"properties":{"type":"object","additionalProperties":{"$ref":"#"},"default":{}},"patternProperties":{"type":"object","additionalProperties":{"$ref":"#"},"propertyNames":{"format":"regex"},"default":{}},"dependencies":{"type":"object","additionalProperties":{"anyOf":[{"$ref":"#"},{"$ref":"#/definitions/stringArray"}]}},"propertyNames":{"$ref":"#"},"const":true,"enum":{"type":"array","items":true},"type":{"anyOf":[{"$ref":"#/definitions/simpleTypes"},{"type":"array","items":{"$ref":"#/definitions/simpleTypes"},"minItems":1,"uniqueItems":true}]},"format":{"type":"string"},"contentMediaType":{"type":"string"},"contentEncoding":{"type":"string"},"if":{"$ref":"#"},"then":{"$ref":"#"},"else":{"$ref":"#"},"allOf":{"$ref":"#/definitions/schemaArray"},"anyOf":{"$ref":"#/definitions/schemaArray"},"oneOf":{"$ref":"#/definitions/schemaArray"},"not":{"$ref":"#"}},"default":true})json";

constexpr std::string_view kMetaSchemaUri = "http://json-schema.org/draft-07/schema";

/// Keywords whose values are data, not schemas: a "$ref" or "pattern" inside them means nothing.
bool IsValueKeyword(const std::string& key) {
    return key == "enum" || key == "const" || key == "default" || key == "examples";
}

/// A `$ref` to another document: only the draft-07 meta-schema is known, from memory.
class RemoteRefRefused final : public std::runtime_error {
  public:
    explicit RemoteRefRefused(const std::string& uri)
        : std::runtime_error("refers to " + uri +
                             ": a schema may refer only to itself or to the draft-07 meta-schema") {}
};

/// The document valijson compiles: `schema` with every `"format": F` replaced by `{"if": {"type": "string"}, "then":
/// {"format": F}}` appended to the node's `allOf`. In draft-07 a format applies to strings only, but valijson 1.0
/// reads every value it checks against a format as a string, and a non-empty object or array there throws (or,
/// without exceptions, aborts): `{"$id": {"a": 1}}` against the meta-schema, or a tenant's object for a `date`
/// field, ended the process. Pointers into the schema stay valid (indices are only appended).
json ForValijson(const json& node) {
    if (node.is_array()) {
        json out = json::array();
        for (const auto& item : node) out.push_back(ForValijson(item));
        return out;
    }
    if (!node.is_object()) return node;
    json out = json::object();
    std::optional<json> format;
    for (const auto& [key, value] : node.items()) {
        if (key == "format" && value.is_string()) {
            format = value;
        } else {
            out[key] = IsValueKeyword(key) ? value : ForValijson(value);
        }
    }
    if (format) {
        json guard = {{"if", {{"type", "string"}}}, {"then", {{"format", *format}}}};
        if (!out.contains("allOf")) out["allOf"] = json::array();
        if (out["allOf"].is_array()) out["allOf"].push_back(std::move(guard));
    }
    return out;
}

const json& ValijsonMetaSchema() {
    static const json meta = ForValijson(Draft07MetaSchema());
    return meta;
}

/// The documents a `$ref` may name: the schema itself (by "#…", or by its top-level `$id`) and the draft-07
/// meta-schema. Nothing is fetched. CheckReferences refuses every other `$ref` and any `$id` below the top before
/// valijson sees the schema, so that valijson and LoopFinder resolve every reference to the same node (a nested
/// `$id` would give "#" another meaning inside it, and valijson's resolution of other URIs can differ from
/// ours, which made loops LoopFinder could not see).
class LocalDocuments final {
  public:
    explicit LocalDocuments(const json& root) : root_(root) {
        if (const auto id = root.find("$id"); root.is_object() && id != root.end() && id->is_string())
            root_id_ = WithoutFragment(id->get<std::string>());
    }

    /// The document `uri` names, for valijson.
    const json* Fetch(const std::string& uri) const {
        if (const json* found = Find(WithoutFragment(uri))) return found;
        throw RemoteRefRefused(uri);
    }

    /// Whether CheckReferences lets `ref` through.
    bool Allows(const std::string& ref) const {
        const size_t hash = ref.find('#');
        const std::string fragment = hash == std::string::npos ? "" : ref.substr(hash + 1);
        return Find(ref.substr(0, hash)) != nullptr && (fragment.empty() || fragment.starts_with('/'));
    }

    /// What an allowed `$ref` names, or null when it names nothing (valijson then refuses the schema).
    const json* Target(const std::string& ref) const {
        const size_t hash = ref.find('#');
        const json* base = Find(ref.substr(0, hash));
        if (base == nullptr || hash == std::string::npos || hash + 1 == ref.size()) return base;
        try {
            const json::json_pointer pointer(PercentDecoded(ref.substr(hash + 1)));
            return base->contains(pointer) ? &base->at(pointer) : nullptr;
        } catch (const json::exception&) {
            return nullptr;
        }
    }

  private:
    static std::string WithoutFragment(std::string uri) {
        if (const size_t hash = uri.find('#'); hash != std::string::npos) uri.resize(hash);
        return uri;
    }

    static std::string PercentDecoded(const std::string& text) {
        std::string out;
        for (size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
                std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
                out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
                i += 2;
            } else {
                out += text[i];
            }
        }
        return out;
    }

    const json* Find(const std::string& document) const {
        if (document == kMetaSchemaUri) return &ValijsonMetaSchema();
        if (document.empty() || (!root_id_.empty() && document == root_id_)) return &root_;
        return nullptr;
    }

    const json& root_;
    std::string root_id_;
};

/// Every `$ref` must name this schema or the meta-schema (LocalDocuments::Allows) and `$id` may appear only at the
/// top.
void CheckReferences(const json& node, const std::string& path, bool top, const LocalDocuments& local,
                     std::vector<FieldError>& errors) {
    if (node.is_array()) {
        for (size_t i = 0; i < node.size(); ++i)
            CheckReferences(node[i], ChildField(path, std::to_string(i)), false, local, errors);
        return;
    }
    if (!node.is_object()) return;
    for (const auto& [key, value] : node.items()) {
        if (IsValueKeyword(key)) continue;
        if (key == "$ref" && value.is_string() && !local.Allows(value.get<std::string>()))
            errors.push_back({ChildField(path, key),
                              "may refer only to this schema (\"#\" or \"#/…\") or to the draft-07 meta-schema: "
                              "Kiln fetches no document a schema names"});
        if (key == "$id" && value.is_string() && !top)
            errors.push_back({ChildField(path, key), "is allowed only at the top of the schema"});
        CheckReferences(value, ChildField(path, key), false, local, errors);
    }
}

/// The subschemas that apply to the same value as `node` does: its `$ref` and its combinators. A loop of them
/// never reaches a smaller value, so valijson would recurse until the stack ends (while compiling, for a loop of
/// `$ref`s alone, or while validating).
std::vector<const json*> SameValueSubschemas(const json& node, const LocalDocuments& local) {
    std::vector<const json*> out;
    if (!node.is_object()) return out;
    if (const auto ref = node.find("$ref"); ref != node.end() && ref->is_string())
        if (const json* target = local.Target(ref->get<std::string>()); target != &ValijsonMetaSchema())
            if (target != nullptr) out.push_back(target);
    for (const char* list : {"allOf", "anyOf", "oneOf"})
        if (const auto it = node.find(list); it != node.end() && it->is_array())
            for (const auto& item : *it) out.push_back(&item);
    for (const char* single : {"not", "if", "then", "else"})
        if (const auto it = node.find(single); it != node.end() && it->is_object()) out.push_back(&*it);
    if (const auto it = node.find("dependencies"); it != node.end() && it->is_object())
        for (const auto& [name, dependency] : it->items())
            if (dependency.is_object()) out.push_back(&dependency);
    return out;
}

/// Whether some subschema reaches itself through SameValueSubschemas alone (a depth-first search, colouring nodes).
class LoopFinder final {
  public:
    explicit LoopFinder(const LocalDocuments& local) : local_(local) {}

    bool FromAnyOf(const json& node) {
        if (node.is_array())
            return std::any_of(node.begin(), node.end(), [this](const json& n) { return FromAnyOf(n); });
        if (!node.is_object()) return false;
        if (Visit(&node)) return true;
        const auto items = node.items();
        return std::any_of(items.begin(), items.end(),
                           [this](const auto& item) { return !IsValueKeyword(item.key()) && FromAnyOf(item.value()); });
    }

  private:
    enum class Colour { kOnPath, kDone };

    bool Visit(const json* node) {
        const auto [it, fresh] = colour_.emplace(node, Colour::kOnPath);
        if (!fresh) return it->second == Colour::kOnPath;
        for (const json* next : SameValueSubschemas(*node, local_))
            if (Visit(next)) return true;
        colour_[node] = Colour::kDone;
        return false;
    }

    const LocalDocuments& local_;
    std::map<const json*, Colour> colour_;
};

class RefLoop final : public std::runtime_error {
  public:
    RefLoop()
        : std::runtime_error(
              "has a $ref (or allOf, anyOf, oneOf, not, if, then, else) that leads back to itself "
              "without descending into a property or an item") {}
};

void FreeNothing(const json* /*document*/) {}

std::shared_ptr<const valijson::Schema> CompileDocument(const json& document) {
    const json prepared = ForValijson(document);
    auto compiled = std::make_shared<valijson::Schema>();
    const valijson::adapters::NlohmannJsonAdapter adapter(prepared);
    const LocalDocuments local(prepared);
    if (LoopFinder(local).FromAnyOf(prepared)) throw RefLoop();
    valijson::SchemaParser(valijson::SchemaParser::kDraft7)
        .populateSchema<valijson::adapters::NlohmannJsonAdapter>(
            adapter, *compiled, [&local](const std::string& uri) { return local.Fetch(uri); }, FreeNothing);
    return compiled;
}

/// valijson names a property "[name]" and an item "[2]" below "<root>".
std::string Segment(std::string name) {
    if (name.size() >= 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    return name;
}

std::string FieldOf(const std::vector<std::string>& context, const std::string& prefix) {
    std::string field = prefix;
    for (size_t i = 1; i < context.size(); ++i) field += "." + Segment(context[i]);
    return field;
}

/// The name quoted at the end of one of valijson's messages ("Missing required property 'name'.").
std::optional<std::string> QuotedName(const std::string& description, std::string_view lead) {
    if (!description.starts_with(lead)) return std::nullopt;
    const size_t close = description.rfind('\'');
    if (close == std::string::npos || close == 0) return std::nullopt;
    const size_t open = description.rfind('\'', close - 1);
    if (open == std::string::npos) return std::nullopt;
    return description.substr(open + 1, close - open - 1);
}

FieldError Describe(const valijson::ValidationResults::Error& error, const std::string& prefix) {
    const std::string field = FieldOf(error.context, prefix);
    if (auto name = QuotedName(error.description, "Missing required property '"))
        return {ChildField(field, *name), "is required"};
    if (auto name = QuotedName(error.description, "Object contains a property that could not be validated"))
        return {ChildField(field, *name), "is not a property this schema allows"};
    return {field, error.description};
}

/// libstdc++ compiles `a{n}` into n copies of `a` (and overflows on a count beyond 64 bits), so a pattern is
/// short and counts no more than kMaxRepetition; the regular expression itself is checked by compiling it.
constexpr size_t kMaxPatternLength = 1024;
constexpr size_t kMaxRepetition = 1000;

std::optional<std::string> PatternProblem(const std::string& regex) {
    if (regex.size() > kMaxPatternLength) return "is longer than " + std::to_string(kMaxPatternLength) + " characters";
    // ECMAScript has nothing to repeat after a quantifier (only one `?` that makes it lazy); libstdc++ accepts
    // `a**` and backtracks exponentially in the number of such stars.
    bool after_quantifier = false;
    bool lazy = false;
    for (size_t i = 0; i < regex.size(); ++i) {
        const char c = regex[i];
        if (c == '\\') {
            // A back reference names a group by number; libstdc++ overflows on a long one.
            size_t digits = 0;
            while (i + 1 + digits < regex.size() && std::isdigit(static_cast<unsigned char>(regex[i + 1 + digits])))
                ++digits;
            if (digits > 2) return "refers back to a group numbered beyond 99";
            ++i;  // an escaped character, e.g. \{, is no repetition
            after_quantifier = false;
            continue;
        }
        const bool counted = c == '{' && i + 1 < regex.size() && std::isdigit(static_cast<unsigned char>(regex[i + 1]));
        const bool quantifier = c == '*' || c == '+' || c == '?' || counted;
        if (quantifier && after_quantifier) {
            if (c == '?' && !lazy) {
                lazy = true;
                continue;
            }
            return "repeats a repetition (ECMAScript has nothing to repeat there)";
        }
        after_quantifier = quantifier;
        lazy = false;
        if (!counted) continue;
        // {n}, {n,} or {n,m}: every count at most kMaxRepetition.
        size_t j = i + 1;
        while (j < regex.size() && (std::isdigit(static_cast<unsigned char>(regex[j])) || regex[j] == ',')) {
            const size_t start = j;
            while (j < regex.size() && std::isdigit(static_cast<unsigned char>(regex[j]))) ++j;
            const std::string digits = regex.substr(start, j - start);
            if (digits.size() > 4 || (!digits.empty() && std::stoul(digits) > kMaxRepetition))
                return "repeats more than " + std::to_string(kMaxRepetition) + " times";
            if (j < regex.size() && regex[j] == ',') ++j;
        }
        if (j < regex.size() && regex[j] == '}') i = j;
    }
    return std::nullopt;
}

/// Each `pattern` and `patternProperties` name must compile: valijson compiles them only while validating, where a
/// bad one would be a server error.
void CheckPatterns(const json& node, const std::string& path, std::vector<FieldError>& errors) {
    if (node.is_array()) {
        for (size_t i = 0; i < node.size(); ++i) CheckPatterns(node[i], ChildField(path, std::to_string(i)), errors);
        return;
    }
    if (!node.is_object()) return;
    for (const auto& [key, value] : node.items()) {
        if (IsValueKeyword(key)) continue;
        const std::string here = ChildField(path, key);
        const auto compiles = [&](const std::string& regex) {
            if (const auto problem = PatternProblem(regex)) {
                errors.push_back({here, *problem});
                return;
            }
            try {
                const std::regex compiled(regex, std::regex::ECMAScript);
                (void)compiled;
            } catch (const std::regex_error&) {
                errors.push_back({here, "is not a regular expression Kiln can use: " + regex});
            }
        };
        if (key == "pattern" && value.is_string()) compiles(value.get<std::string>());
        if (key == "patternProperties" && value.is_object())
            for (const auto& [regex, schema] : value.items()) compiles(regex);
        CheckPatterns(value, here, errors);
    }
}

/// libstdc++'s std::regex recurses once or twice per character a repetition matches (about 500 bytes of stack per
/// character for `(a|b)*`), so a long string checked against a pattern would end the process on a handler thread's
/// 8 MiB stack. Checks of a schema with patterns therefore run on a thread of their own with kPatternStack of
/// stack (reserved, touched only as deep as the check goes), and a string longer than kMaxPatternText is refused
/// before any pattern sees it: 16 KiB (PEM keys fit) needs at most about 10 MiB.
constexpr size_t kMaxPatternText = 16384;
constexpr size_t kPatternStack = size_t{64} * 1024 * 1024;

bool HasPatterns(const json& node) {
    if (node.is_array()) return std::any_of(node.begin(), node.end(), [](const json& n) { return HasPatterns(n); });
    if (!node.is_object()) return false;
    for (const auto& [key, value] : node.items()) {
        if (IsValueKeyword(key)) continue;
        if ((key == "pattern" && value.is_string()) || (key == "patternProperties" && value.is_object())) return true;
        // The names of these are property names (a property may be called "pattern"); their values are schemas.
        if ((key == "properties" || key == "definitions" || key == "dependencies") && value.is_object()) {
            for (const auto& [name, schema] : value.items())
                if (HasPatterns(schema)) return true;
            continue;
        }
        if (HasPatterns(value)) return true;
    }
    return false;
}

void FindLongText(const json& node, const std::string& path, std::vector<FieldError>& errors) {
    const std::string message = "is longer than " + std::to_string(kMaxPatternText) + " characters";
    if (node.is_string() && node.get_ref<const std::string&>().size() > kMaxPatternText)
        errors.push_back({path, message});
    if (node.is_array())
        for (size_t i = 0; i < node.size(); ++i) FindLongText(node[i], ChildField(path, std::to_string(i)), errors);
    if (node.is_object())
        for (const auto& [key, value] : node.items()) {
            if (key.size() > kMaxPatternText) errors.push_back({path, "has a property name that " + message});
            FindLongText(value, ChildField(path, key), errors);
        }
}

/// Runs `work` on a new thread with `stack_bytes` of stack and waits for it; its exception is rethrown here.
void RunWithStack(size_t stack_bytes, const std::function<void()>& work) {
    struct Job {
        const std::function<void()>& work;
        std::exception_ptr failure;
    } job{work, nullptr};
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstacksize(&attributes, stack_bytes);
    pthread_t thread{};
    const int created = pthread_create(
        &thread, &attributes,
        [](void* argument) -> void* {
            auto* running = static_cast<Job*>(argument);
            try {
                running->work();
            } catch (...) {
                running->failure = std::current_exception();
            }
            return nullptr;
        },
        &job);
    pthread_attr_destroy(&attributes);
    if (created != 0) throw Unavailable("The server cannot start a thread to check the configuration.");
    pthread_join(thread, nullptr);
    if (job.failure) std::rethrow_exception(job.failure);
}

}  // namespace

const nlohmann::json& Draft07MetaSchema() {
    static const json meta = json::parse(kDraft07MetaSchema);
    return meta;
}

JsonSchema JsonSchema::Compile(const nlohmann::json& schema, const std::string& field) {
    if (!schema.is_object() && !schema.is_boolean())
        throw ValidationError(field, "must be a JSON Schema (draft-07): an object or a boolean");
    static const JsonSchema meta(std::make_shared<const json>(Draft07MetaSchema()),
                                 CompileDocument(Draft07MetaSchema()), HasPatterns(Draft07MetaSchema()));
    auto errors = meta.Check(schema, field);
    if (errors.empty()) CheckPatterns(schema, field, errors);
    if (errors.empty()) CheckReferences(schema, field, true, LocalDocuments(schema), errors);
    if (!errors.empty()) throw ValidationError(std::move(errors), "The schema is not a valid JSON Schema (draft-07).");
    auto document = std::make_shared<const json>(schema);
    try {
        return {document, CompileDocument(*document), HasPatterns(*document)};
    } catch (const RemoteRefRefused& e) {
        throw ValidationError(field, e.what());
    } catch (const RefLoop& e) {
        throw ValidationError(field, e.what());
    } catch (const std::exception& e) {
        // valijson refuses what it cannot resolve (a $ref to a missing definition) with a runtime error.
        throw ValidationError(field, std::string("cannot be compiled: ") + e.what());
    }
}

std::vector<FieldError> JsonSchema::Check(const nlohmann::json& instance, const std::string& prefix) const {
    std::vector<FieldError> all;
    const auto validate = [&] {
        valijson::Validator validator(valijson::Validator::kStrongTypes);
        valijson::ValidationResults results;
        const valijson::adapters::NlohmannJsonAdapter target(instance);
        bool valid = false;
        try {
            valid = validator.validate(*compiled_, target, &results);
        } catch (const std::exception&) {
            // valijson gave up on a value it cannot read as the schema asks: that value does not match.
            all.push_back({prefix, "cannot be checked against the schema"});
            return;
        }
        if (valid) return;
        valijson::ValidationResults::Error error;
        while (results.popError(error)) all.push_back(Describe(error, prefix));
        // A `false` schema (or a `$ref` to one) refuses without saying why.
        if (all.empty()) all.push_back({prefix, "is not allowed by the schema"});
    };
    if (has_patterns_) {
        FindLongText(instance, prefix, all);
        if (!all.empty()) return all;
        RunWithStack(kPatternStack, validate);
    } else {
        validate();
    }
    // valijson reports a nested failure and then a summary on each enclosing value; the innermost reasons say what
    // to fix, so a field is reported only when nothing inside it was, and only its first reason.
    std::vector<FieldError> reported;
    std::set<std::string> seen;
    for (const auto& candidate : all) {
        const bool inner = std::any_of(all.begin(), all.end(), [&](const FieldError& other) {
            return other.field.size() > candidate.field.size() && other.field.starts_with(candidate.field + ".");
        });
        if (inner || !seen.insert(candidate.field).second) continue;
        reported.push_back(candidate);
    }
    return reported;
}

std::string ChildField(const std::string& path, const std::string& name) {
    std::string out = path;
    out += '.';
    out += name;
    return out;
}

void ApplyDefaults(const nlohmann::json& schema, nlohmann::json& instance) {
    if (!schema.is_object() || !instance.is_object()) return;
    const auto properties = schema.find("properties");
    if (properties == schema.end() || !properties->is_object()) return;
    for (const auto& [name, property] : properties->items()) {
        if (!property.is_object()) continue;
        const auto present = instance.find(name);
        if (present == instance.end()) {
            if (const auto value = property.find("default"); value != property.end()) instance[name] = *value;
        } else {
            ApplyDefaults(property, *present);
        }
    }
}

}  // namespace kiln::common
