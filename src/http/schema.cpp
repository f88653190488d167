#include "http/schema.hpp"

#include <algorithm>
#include <limits>

#include "core/time.hpp"
#include "core/uuid.hpp"

namespace kiln::http {

namespace {

const char* TypeName(Schema::Type type) {
    switch (type) {
        case Schema::Type::kString:
            return "string";
        case Schema::Type::kInteger:
            return "integer";
        case Schema::Type::kBoolean:
            return "boolean";
        case Schema::Type::kArray:
            return "array";
        case Schema::Type::kObject:
            return "object";
        case Schema::Type::kAny:
            return "any";
    }
    return "string";
}

std::string Join(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
}

size_t Utf8Length(const std::string& s) {
    return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

bool IsEmail(const std::string& s) {
    const auto at = s.find('@');
    return at != std::string::npos && at > 0 && at + 1 < s.size() && s.find('@', at + 1) == std::string::npos &&
           s.find_first_of(" \t\r\n<>\"") == std::string::npos && s.find('.', at) != std::string::npos;
}

bool IsSlug(const std::string& s) {
    return !s.empty() && s.front() != '-' && s.back() != '-' && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

}  // namespace

Schema Schema::ArrayOf(Schema items) {
    Schema s(Type::kArray);
    s.items_ = std::make_shared<Schema>(std::move(items));
    return s;
}

Schema& Schema::Field(std::string name, Schema schema, bool required) {
    properties_.push_back({std::move(name), std::make_shared<const Schema>(std::move(schema)), required});
    return *this;
}

void Schema::Validate(const nlohmann::json& value) const {
    std::vector<FieldError> errors;
    Collect(value, "", errors);
    if (!errors.empty()) throw ValidationError(std::move(errors));
}

void Schema::Collect(const nlohmann::json& value, const std::string& path, std::vector<FieldError>& errors) const {
    const std::string where = path.empty() ? "body" : path;
    if (read_only_) {
        errors.push_back({where, "is set by Kiln only"});
        return;
    }
    if (value.is_null()) {
        if (!nullable_) errors.push_back({where, "must not be null"});
        return;
    }
    switch (type_) {
        case Type::kAny:
            return;
        case Type::kString: {
            if (!value.is_string()) {
                errors.push_back({where, "must be a string"});
                return;
            }
            const auto& s = value.get_ref<const std::string&>();
            const size_t length = Utf8Length(s);
            if (min_length_ && length < *min_length_)
                errors.push_back({where, *min_length_ == 1
                                             ? "must not be empty"
                                             : "must be at least " + std::to_string(*min_length_) + " characters"});
            if (max_length_ && length > *max_length_)
                errors.push_back({where, "must be at most " + std::to_string(*max_length_) + " characters"});
            if (!enum_.empty() && std::find(enum_.begin(), enum_.end(), s) == enum_.end()) {
                std::string allowed;
                for (const auto& e : enum_) allowed += (allowed.empty() ? "" : ", ") + e;
                errors.push_back({where, "must be one of: " + allowed});
            }
            if (s.find('\0') != std::string::npos) errors.push_back({where, "must not contain NUL characters"});
            if (format_ == "email" && !IsEmail(s)) errors.push_back({where, "must be an email address"});
            if (format_ == "date-time" && !ParseTimestamp(s))
                errors.push_back({where, "must be an ISO 8601 date-time"});
            if (format_ == "uuid" && !IsUuid(s)) errors.push_back({where, "must be a UUID"});
            if (format_ == "slug" && !IsSlug(s))
                errors.push_back({where, "must contain only lowercase letters, digits and inner hyphens"});
            return;
        }
        case Type::kInteger: {
            // nlohmann keeps integers above INT64_MAX as unsigned and beyond 64 bits as floats.
            if (!value.is_number_integer() ||
                (value.is_number_unsigned() &&
                 value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))) {
                errors.push_back(
                    {where, value.is_number() ? "must be an integer within 64-bit range" : "must be an integer"});
                return;
            }
            const auto n = value.get<int64_t>();
            if (minimum_ && n < *minimum_) errors.push_back({where, "must be at least " + std::to_string(*minimum_)});
            if (maximum_ && n > *maximum_) errors.push_back({where, "must be at most " + std::to_string(*maximum_)});
            return;
        }
        case Type::kBoolean:
            if (!value.is_boolean()) errors.push_back({where, "must be true or false"});
            return;
        case Type::kArray: {
            if (!value.is_array()) {
                errors.push_back({where, "must be an array"});
                return;
            }
            if (max_items_ && value.size() > *max_items_)
                errors.push_back({where, "must have at most " + std::to_string(*max_items_) + " items"});
            for (size_t i = 0; i < value.size() && i < 1000; ++i)
                items_->Collect(value[i], where + "[" + std::to_string(i) + "]", errors);
            return;
        }
        case Type::kObject: {
            if (!value.is_object()) {
                errors.push_back({where, "must be a JSON object"});
                return;
            }
            for (const auto& property : properties_) {
                const auto it = value.find(property.name);
                if (it == value.end()) {
                    if (property.required) errors.push_back({Join(path, property.name), "is required"});
                    continue;
                }
                property.schema->Collect(*it, Join(path, property.name), errors);
            }
            if (any_properties_) return;
            for (const auto& item : value.items()) {
                const std::string& key = item.key();
                const bool known = std::any_of(properties_.begin(), properties_.end(),
                                               [&](const SchemaProperty& p) { return p.name == key; });
                if (!known) errors.push_back({Join(path, key), "is not a known field"});
            }
            return;
        }
    }
}

nlohmann::json Schema::ToJsonSchema() const {
    nlohmann::json out = nlohmann::json::object();
    if (type_ == Type::kAny) {
        // JSON Schema says "any value" by leaving the type out.
    } else if (nullable_) {
        out["type"] = {TypeName(type_), "null"};
    } else {
        out["type"] = TypeName(type_);
    }
    if (!description_.empty()) out["description"] = description_;
    if (read_only_) out["readOnly"] = true;
    if (min_length_) out["minLength"] = *min_length_;
    if (max_length_) out["maxLength"] = *max_length_;
    if (minimum_) out["minimum"] = *minimum_;
    if (maximum_) out["maximum"] = *maximum_;
    if (max_items_) out["maxItems"] = *max_items_;
    if (!enum_.empty()) out["enum"] = enum_;
    if (!format_.empty()) {
        if (format_ == "slug") {
            out["pattern"] = "^[a-z0-9]+(-[a-z0-9]+)*$";
        } else {
            out["format"] = format_;
        }
    }
    if (items_) out["items"] = items_->ToJsonSchema();
    if (type_ == Type::kObject) {
        out["additionalProperties"] = any_properties_;
        out["properties"] = nlohmann::json::object();
        std::vector<std::string> required;
        for (const auto& p : properties_) {
            out["properties"][p.name] = p.schema->ToJsonSchema();
            if (p.required) required.push_back(p.name);
        }
        if (!required.empty()) out["required"] = required;
    }
    return out;
}

nlohmann::json ParseJsonBody(const std::string& body) {
    if (body.empty()) throw BadRequest("The request body must be a JSON document.");
    try {
        // nlohmann rejects invalid UTF-8 in strings; the callback bounds nesting, so no body can
        // make later recursive walks (validation, rendering) run deep.
        constexpr int kMaxDepth = 32;
        return nlohmann::json::parse(body, [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
            if (depth > kMaxDepth) throw BadRequest("The request body is nested too deeply.");
            return true;
        });
    } catch (const nlohmann::json::exception& e) {
        // parse_error for syntax and encoding; out_of_range for numbers beyond a double (1e400).
        throw BadRequest(std::string("The request body is not valid JSON: ") + e.what());
    }
}

}  // namespace kiln::http
