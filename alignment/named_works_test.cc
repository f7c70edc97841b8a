#include "alignment/named_works.h"

#include <gtest/gtest.h>

namespace novelta::alignment::review_internal {
namespace {

TEST(NamedWorks, EveryKindInOrderOfPosition) {
  const std::string s =
      "It resembles \"Deep Residual Learning for Image Recognition\", Steinke et al. (2023), "
      "(Shokri and Shmatikov, 2017), [3-5] and arXiv 2402.09477.";
  std::vector<FoundWork> found = FindNamedWorks(s);
  ASSERT_EQ(found.size(), 7u);
  EXPECT_EQ(found[0].work.kind, NamedWork::Kind::kTitle);
  EXPECT_EQ(found[0].work.title, "Deep Residual Learning for Image Recognition");
  EXPECT_TRUE(found[0].title_case);
  EXPECT_EQ(found[1].work.kind, NamedWork::Kind::kAuthorYear);
  EXPECT_EQ(found[1].work.text, "Steinke et al. (2023)");
  EXPECT_EQ(found[1].work.year, 2023);
  EXPECT_EQ(found[2].work.kind, NamedWork::Kind::kAuthorYear);
  EXPECT_EQ(found[2].work.surname, "Shokri");  // the first author leads
  // A range of numbered citations gives one mention per number, at the bracket.
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(found[3 + k].work.kind, NamedWork::Kind::kNumbered);
    EXPECT_EQ(found[3 + k].work.number, 3 + k);
    EXPECT_EQ(found[3 + k].pos, s.find("[3-5]"));
  }
  EXPECT_EQ(found[6].work.kind, NamedWork::Kind::kArxiv);
  EXPECT_EQ(found[6].work.arxiv_id, "2402.09477");
  for (size_t i = 1; i < found.size(); ++i) EXPECT_LE(found[i - 1].pos, found[i].pos);
}

TEST(NamedWorks, QuotedPhraseThatIsNotTitleCaseIsFlagged) {
  std::vector<FoundWork> found = FindNamedWorks("The \"so called new paradigm of learning\" again.");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].work.kind, NamedWork::Kind::kTitle);
  EXPECT_FALSE(found[0].title_case);
  // "et al. [12]" is one author mention with its number, not a second numbered one.
  found = FindNamedWorks("As in Nasr et al. [12], the bound holds.");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].work.kind, NamedWork::Kind::kNumbered);
  EXPECT_EQ(found[0].work.surname, "Nasr");
  EXPECT_EQ(found[0].work.number, 12);
  EXPECT_STREQ(NamedWorkKindName(NamedWork::Kind::kAuthorYear), "author_year");
}

}  // namespace
}  // namespace novelta::alignment::review_internal
