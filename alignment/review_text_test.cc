#include "alignment/review_text.h"

#include <gtest/gtest.h>

namespace novelta::alignment::review_internal {
namespace {

TEST(ReviewText, SplitLinesKeepsEmptyLines) {
  auto lines = SplitLines("a\n\nbc\n");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].start, 0u);
  EXPECT_EQ(lines[0].end, 1u);
  EXPECT_EQ(lines[1].start, lines[1].end);  // the empty line
  EXPECT_EQ(lines[2].start, 3u);
  EXPECT_EQ(lines[2].end, 5u);
  EXPECT_EQ(lines[3].start, 6u);  // after the final '\n'
  EXPECT_EQ(lines[3].end, 6u);
  EXPECT_EQ(SplitLines("").size(), 1u);
}

TEST(ReviewText, ParseYearAtTakesOnlyStandaloneYears) {
  EXPECT_EQ(ParseYearAt("Smith (2020)", 7), 2020);
  EXPECT_EQ(ParseYearAt("in 2020a", 3), 2020);
  EXPECT_EQ(ParseYearAt("12020", 1), 0);        // part of a longer number
  EXPECT_EQ(ParseYearAt("2402.09477", 0), 0);   // an arXiv id
  EXPECT_EQ(ParseYearAt("v1.2020", 3), 0);      // after a '.'
  EXPECT_EQ(ParseYearAt("1949 2030", 0), 0);    // out of range
  EXPECT_EQ(ParseYearAt("1949 2030", 5), 0);
  EXPECT_EQ(ParseYearAt("202", 0), 0);          // too short
  EXPECT_TRUE(IsWordByte('\xc3'));
  EXPECT_FALSE(IsWordByte(','));
}

}  // namespace
}  // namespace novelta::alignment::review_internal
