#include <gtest/gtest.h>

#include "llm/llm_client.h"

namespace novelta {
namespace {

Json Schema(const char* text) { return Json::parse(text); }

// The message of CheckJsonSchema's Corruption, or "OK".
std::string Check(const Json& value, const Json& schema) {
  Status s = CheckJsonSchema(value, schema);
  if (s.ok()) return "OK";
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  return s.message();
}

const char* kClaims = R"({
  "type": "object",
  "properties": {
    "claims": {
      "type": "array", "minItems": 1, "maxItems": 3,
      "items": {
        "type": "object",
        "properties": {
          "id": {"type": "integer", "minimum": 1},
          "verdict": {"type": "string", "enum": ["novel", "partially_anticipated", "anticipated"]},
          "confidence": {"type": "number", "minimum": 0, "maximum": 1},
          "quote": {"type": ["string", "null"], "maxLength": 5}
        },
        "required": ["id", "verdict"],
        "additionalProperties": false
      }
    },
    "done": {"type": "boolean"}
  },
  "required": ["claims"],
  "additionalProperties": false
})";

Json Claim(int id, const char* verdict) { return {{"id", id}, {"verdict", verdict}}; }

TEST(CheckJsonSchemaTest, AcceptsValidValues) {
  Json schema = Schema(kClaims);
  EXPECT_EQ(Check({{"claims", {Claim(1, "novel")}}}, schema), "OK");
  Json claim = Claim(2, "anticipated");
  claim["confidence"] = 0;
  claim["quote"] = nullptr;
  EXPECT_EQ(Check({{"claims", {Claim(1, "novel"), claim}}, {"done", true}}, schema), "OK");
  claim["quote"] = "héllo";  // 5 code points, 6 bytes
  claim["confidence"] = 1.0;
  EXPECT_EQ(Check({{"claims", {claim}}}, schema), "OK");
}

TEST(CheckJsonSchemaTest, NamesThePathOfTheFirstViolation) {
  Json schema = Schema(kClaims);
  EXPECT_EQ(Check(Json::array(), schema), "(root): expected object, got array");
  EXPECT_EQ(Check(Json::object(), schema), "(root): missing required property \"claims\"");
  EXPECT_EQ(Check({{"claims", {Claim(1, "novel")}}, {"extra", 1}}, schema),
            "(root): property \"extra\" is not allowed");
  EXPECT_EQ(Check({{"claims", Json::array()}}, schema), "claims: 0 items, fewer than minItems 1");
  EXPECT_EQ(Check({{"claims", {Claim(1, "novel"), Claim(2, "novel"), Claim(3, "novel"), Claim(4, "novel")}}},
                  schema),
            "claims: 4 items, more than maxItems 3");
  EXPECT_EQ(Check({{"claims", {Claim(1, "novel"), Claim(2, "new")}}}, schema),
            "claims[1].verdict: \"new\" is not one of [\"novel\",\"partially_anticipated\",\"anticipated\"]");
  EXPECT_EQ(Check({{"claims", {Claim(0, "novel")}}}, schema), "claims[0].id: 0 is below minimum 1");
  Json claim = Claim(1, "novel");
  claim["confidence"] = 1.5;
  EXPECT_EQ(Check({{"claims", {claim}}}, schema), "claims[0].confidence: 1.5 is above maximum 1");
  claim = Claim(1, "novel");
  claim["quote"] = "too long";
  EXPECT_EQ(Check({{"claims", {claim}}}, schema),
            "claims[0].quote: string of 8 characters, longer than maxLength 5");
  claim["quote"] = 3;
  EXPECT_EQ(Check({{"claims", {claim}}}, schema), "claims[0].quote: expected string or null, got integer");
  EXPECT_EQ(Check({{"claims", {Claim(1, "novel")}}, {"done", "yes"}}, schema),
            "done: expected boolean, got string");
  EXPECT_EQ(Check({{"claims", {{{"verdict", "novel"}}}}}, schema),
            "claims[0]: missing required property \"id\"");
}

TEST(CheckJsonSchemaTest, IntegersAndNumbers) {
  Json integer = Schema(R"({"type": "integer"})");
  EXPECT_EQ(Check(3, integer), "OK");
  EXPECT_EQ(Check(3.0, integer), "OK");  // JSON Schema: a number with no fraction
  EXPECT_EQ(Check(3.5, integer), "(root): expected integer, got number");
  EXPECT_EQ(Check("3", integer), "(root): expected integer, got string");
  Json number = Schema(R"({"type": "number"})");
  EXPECT_EQ(Check(3, number), "OK");
  EXPECT_EQ(Check(-0.5, number), "OK");
  EXPECT_EQ(Check(nullptr, number), "(root): expected number, got null");
  EXPECT_EQ(Check(1, Schema(R"({"enum": [1, 2]})")), "OK");
  EXPECT_EQ(Check(1.0, Schema(R"({"enum": [1, 2]})")), "OK");
}

TEST(CheckJsonSchemaTest, AdditionalPropertiesMayBeASchema) {
  Json schema = Schema(R"({"type": "object", "additionalProperties": {"type": "string"}})");
  EXPECT_EQ(Check({{"a", "x"}, {"b", "y"}}, schema), "OK");
  EXPECT_EQ(Check({{"a", "x"}, {"b", 2}}, schema), "b: expected string, got integer");
  // Without additionalProperties, anything goes besides the listed properties.
  EXPECT_EQ(Check({{"a", 1}}, Schema(R"({"type": "object", "properties": {}})")), "OK");
}

TEST(CheckJsonSchemaTest, IgnoresAnnotationsAndRejectsMalformedSchemas) {
  EXPECT_EQ(Check("x", Schema(R"({"type": "string", "description": "d", "title": "t"})")), "OK");
  EXPECT_TRUE(CheckJsonSchema("x", Schema(R"({"type": 5})")).IsInvalidArgument());
  EXPECT_TRUE(CheckJsonSchema("x", Schema(R"({"type": "text"})")).IsInvalidArgument());
  EXPECT_TRUE(CheckJsonSchema({{"a", 1}}, Schema(R"({"required": "a"})")).IsInvalidArgument());
  EXPECT_TRUE(CheckJsonSchema(Json::array({1}), Schema(R"({"items": [{}]})")).IsInvalidArgument());
  EXPECT_TRUE(CheckJsonSchema("abc", Schema(R"({"maxLength": -1})")).IsInvalidArgument());
  EXPECT_TRUE(CheckJsonSchema(1, Json::array()).IsInvalidArgument());
}

}  // namespace
}  // namespace novelta
