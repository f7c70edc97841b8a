#include "alignment/statement_analysis.h"

#include <gtest/gtest.h>

namespace novelta::alignment::review_internal {
namespace {

TEST(StatementAnalysis, ContrastWeighsTheClauseAfterBut) {
  // "novel" (plain, +1) and "incremental" after "but" (-1 x 2).
  Analysis a = AnalyzeTokens("The idea is novel, but the method is incremental.", "other", false);
  EXPECT_TRUE(a.is_statement);
  EXPECT_DOUBLE_EQ(a.score, 1.0 - 2.0);
  EXPECT_EQ(a.negative_strength, 1);
  // A concessive clause weighs half, the clause after it 1.5.
  a = AnalyzeTokens("Although novel, it is incremental.", "other", false);
  EXPECT_DOUBLE_EQ(a.score, 0.5 - 1.5);
}

TEST(StatementAnalysis, NegatedSoftenedDoubtedAttributed) {
  Analysis a = AnalyzeTokens("The method is not novel.", "other", false);
  EXPECT_DOUBLE_EQ(a.score, -1.0);
  EXPECT_EQ(a.negative_strength, 2);
  a = AnalyzeTokens("The method is not entirely novel.", "other", false);
  EXPECT_EQ(a.negative_strength, 1);
  a = AnalyzeTokens("It is unclear whether it is truly novel.", "other", false);
  EXPECT_LT(a.score, 0);
  a = AnalyzeTokens("The authors claim the method is novel.", "other", false);
  EXPECT_TRUE(a.is_statement);
  EXPECT_DOUBLE_EQ(a.score, 0.0);
  // In the summary, "proposes a novel" describes the paper's claim.
  a = AnalyzeTokens("The paper proposes a novel method.", "summary", false);
  EXPECT_DOUBLE_EQ(a.score, 0.0);
  a = AnalyzeTokens("The paper proposes a novel method.", "strengths_and_weaknesses", false);
  EXPECT_DOUBLE_EQ(a.score, 1.0);
}

TEST(StatementAnalysis, NoveltyNounsQuestionsAndNamedWorks) {
  Analysis a = AnalyzeTokens("The novelty is limited.", "other", false);
  EXPECT_TRUE(a.has_novelty_noun);
  EXPECT_LT(a.score, 0);
  a = AnalyzeTokens("Is the method novel?", "questions", false);
  EXPECT_TRUE(a.is_statement);
  EXPECT_DOUBLE_EQ(a.score, 0.0);  // a question does not conclude
  // "similar to" counts only next to prior work.
  EXPECT_FALSE(AnalyzeTokens("The curves look similar to each other.", "other", false).is_statement);
  a = AnalyzeTokens("The method is similar to [3].", "other", true);
  EXPECT_LT(a.score, 0);
  EXPECT_FALSE(AnalyzeTokens("", "other", true).is_statement);
}

TEST(StatementAnalysis, MakeStatementTakesTheListsSide) {
  const std::string text = "Novelty: the method builds on prior work.";
  Analysis a = AnalyzeTokens(text, "strengths_and_weaknesses", false);
  ASSERT_DOUBLE_EQ(a.score, 0.0);
  NoveltyStatement st = MakeStatement(text, 10, "strengths_and_weaknesses", a, -1);
  EXPECT_EQ(st.stance, Stance::kNegative);
  EXPECT_EQ(st.negative_strength, 1);
  EXPECT_EQ(st.start, 10u);
  EXPECT_EQ(st.end, 10u + text.size());
  EXPECT_EQ(MakeStatement(text, 0, "other", a, 0).stance, Stance::kNeutral);
}

}  // namespace
}  // namespace novelta::alignment::review_internal
