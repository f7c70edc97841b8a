#include "base/json.h"

#include <gtest/gtest.h>

#include <string>

namespace novelta {
namespace {

std::string Nested(int levels) { return std::string(levels, '[') + std::string(levels, ']'); }

TEST(JsonDeeperThanTest, CountsLevelsOfArraysAndObjects) {
  EXPECT_FALSE(JsonDeeperThan("", 0));
  EXPECT_FALSE(JsonDeeperThan("42", 0));
  EXPECT_TRUE(JsonDeeperThan("[]", 0));
  EXPECT_FALSE(JsonDeeperThan(Nested(8), 8));
  EXPECT_TRUE(JsonDeeperThan(Nested(9), 8));
  EXPECT_FALSE(JsonDeeperThan("{\"a\": [1, {\"b\": 2}], \"c\": [3]}", 3));
  EXPECT_TRUE(JsonDeeperThan("{\"a\": [1, {\"b\": 2}], \"c\": [3]}", 2));
  // Siblings do not add up: three arrays side by side are one level.
  EXPECT_FALSE(JsonDeeperThan("[[],[],[]]", 2));
}

TEST(JsonDeeperThanTest, BracketsInStringsDoNotCount) {
  EXPECT_FALSE(JsonDeeperThan("{\"s\": \"[[[[{{\"}", 1));
  EXPECT_FALSE(JsonDeeperThan("[\"a \\\" [[[\"]", 1));  // an escaped quote does not end the string
  EXPECT_TRUE(JsonDeeperThan("[\"a\\\\\", [[]]]", 2));   // an escaped backslash does
}

TEST(JsonDeeperThanTest, NegativeLimitRefusesEverything) {
  EXPECT_TRUE(JsonDeeperThan("", -1));
  EXPECT_TRUE(JsonDeeperThan("1", -1));
}

TEST(JsonDeeperThanTest, ParseJsonAppliesTheSameBound) {
  EXPECT_TRUE(ParseJson(Nested(8), "x", 8).ok());
  auto deep = ParseJson(Nested(9), "x", 8);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().message(), "x: JSON nested deeper than 8 levels");
}

}  // namespace
}  // namespace novelta
