#include "pipeline/llm/verbatim.h"

#include <gtest/gtest.h>

#include <string>

namespace novelta {
namespace {

TEST(VerbatimTest, ExactQuotesAreFoundWhereTheyAre) {
  const std::string text = "Graph networks oversmooth. We propose PairNorm, a normalization layer.";
  auto at = FindVerbatim(text, "We propose PairNorm, a normalization layer.");
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(text.substr(at->first, at->second - at->first), "We propose PairNorm, a normalization layer.");
  // Surrounding whitespace in the quote is not part of it.
  auto padded = FindVerbatim(text, "  We propose PairNorm ");
  ASSERT_TRUE(padded.has_value());
  EXPECT_EQ(text.substr(padded->first, padded->second - padded->first), "We propose PairNorm");
}

TEST(VerbatimTest, ReflowedWhitespaceMatchesTheOriginalBytes) {
  const std::string text = "We propose a\nnormalization   layer that keeps\tdistances.";
  auto at = FindVerbatim(text, "a normalization layer that keeps distances");
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(text.substr(at->first, at->second - at->first), "a\nnormalization   layer that keeps\tdistances");
}

TEST(VerbatimTest, ParaphrasesAndShortQuotesAreNotFound) {
  const std::string text = "We propose a normalization layer that keeps pairwise distances constant.";
  EXPECT_FALSE(FindVerbatim(text, "We propose a normalisation layer").has_value());  // spelling changed
  EXPECT_FALSE(FindVerbatim(text, "keeps distances constant").has_value());          // words left out
  EXPECT_FALSE(FindVerbatim(text, "We propose").has_value());                        // too short to prove anything
  EXPECT_FALSE(FindVerbatim(text, "").has_value());
  EXPECT_FALSE(FindVerbatim("", "anything at all here").has_value());
  EXPECT_TRUE(FindVerbatim(text, "We propose", 5).has_value());
}

}  // namespace
}  // namespace novelta
