#include "alignment/review_reader.h"

#include <gtest/gtest.h>

#include <map>

#include "base/text.h"

namespace novelta::alignment {
namespace {

// Resolves exact titles, and references that contain a known title.
class FixtureResolver : public PriorWorkResolver {
 public:
  explicit FixtureResolver(std::map<std::string, std::string> titles) {
    for (auto& [title, id] : titles) titles_[NormalizeTitle(title)] = id;
  }
  std::string ResolveTitle(std::string_view title, int) const override {
    auto it = titles_.find(NormalizeTitle(title));
    return it == titles_.end() ? "" : it->second;
  }
  std::string ResolveReference(std::string_view reference) const override {
    std::string norm = " " + NormalizeTitle(reference) + " ";
    for (const auto& [title, id] : titles_)
      if (norm.find(" " + title + " ") != std::string::npos) return id;
    return "";
  }

 private:
  std::map<std::string, std::string> titles_;
};

struct Labelled {
  const char* sentence;
  Stance stance;
  int negative_strength;  // checked for negative stances
};

TEST(ReviewReader, StanceOnHandLabelledSentences) {
  const Labelled cases[] = {
      {"The idea is incremental over prior work on one-run auditing.", Stance::kNegative, 1},
      {"To my knowledge this is the first work to audit privacy in a single run.", Stance::kPositive, 0},
      {"The paper has limited novelty.", Stance::kNegative, 1},
      {"This idea is not new.", Stance::kNegative, 2},
      {"It lacks novelty.", Stance::kNegative, 2},
      {"There is a lack of originality in the proposed loss.", Stance::kNegative, 2},
      {"The approach has already been proposed in [12].", Stance::kNegative, 2},
      {"The method is very similar to Smith et al. (2021).", Stance::kNegative, 1},
      {"The theoretical analysis is original and insightful.", Stance::kPositive, 0},
      {"This is an original idea.", Stance::kPositive, 0},
      {"The proposed method is novel and well motivated.", Stance::kPositive, 0},
      // Negation turns a negative cue around.
      {"The novelty of this work is not limited.", Stance::kPositive, 0},
      {"The contribution is not incremental.", Stance::kPositive, 0},
      // ... and a positive one; a softener makes it incrementality, not denial.
      {"The method is not novel.", Stance::kNegative, 2},
      {"The method is not particularly novel.", Stance::kNegative, 1},
      // Contrast: the clause after "but" carries the point.
      {"The method is novel but incremental.", Stance::kNegative, 1},
      {"The idea is interesting, but the novelty is limited.", Stance::kNegative, 1},
      {"Although the contribution is incremental, the idea is novel.", Stance::kPositive, 0},
      {"While bandits have been extensively studied, the continuous-action setting remains "
       "underexplored.",
       Stance::kPositive, 0},
      {"The novelty of the proposed method is somewhat limited.", Stance::kNegative, 1},
      {"The paper lacks novel technical contributions.", Stance::kNegative, 2},
      {"It is hard to say whether it is a truly novel algorithm.", Stance::kNegative, 1},
      {"The content in Section 3.3 does not appear to be original.", Stance::kNegative, 2},
      // Attribution and questions take no side.
      {"The authors claim that their method is novel.", Stance::kNeutral, 0},
      {"Is the method novel compared to prior work?", Stance::kNeutral, 0},
      {"The related work section is thorough.", Stance::kNeutral, 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.sentence);
    auto st = AnalyzeSentence(c.sentence);
    ASSERT_TRUE(st.has_value());
    EXPECT_EQ(StanceName(st->stance), std::string(StanceName(c.stance)));
    if (c.stance == Stance::kNegative) EXPECT_EQ(st->negative_strength, c.negative_strength);
  }
}

TEST(ReviewReader, SentencesThatAreNotAboutNovelty) {
  for (const char* s : {"The writing is clear and the experiments are thorough.",
                        "First, the experiments are limited to small datasets.",
                        "We compare against the original implementation.",
                        "Equation 10 needs four passes (original, negated, both).",
                        "The authors should cite your original numbering.",
                        "Results are similar to the baseline in Table 2.",
                        "The NeurIPS 2023 version had a typo in Eq. 3.",
                        "We evaluate on the well-known ImageNet benchmark.",
                        "The method generalises to novel views and novel object categories.",
                        "The improvement over Video-R1 is marginal on VideoMME.",
                        "TD-MPC2 has already been tested in this simulator."}) {
    SCOPED_TRACE(s);
    EXPECT_FALSE(AnalyzeSentence(s).has_value());
  }
}

TEST(ReviewReader, DescriptiveNoveltyInTheSummaryTakesNoSide) {
  auto summary = AnalyzeSentence("The authors propose a novel framework for privileged learning.", "summary");
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->stance, Stance::kNeutral);
  auto far = AnalyzeSentence(
      "This paper introduces NEP (Next Editing-token Prediction), a novel framework for image editing.",
      "summary");
  ASSERT_TRUE(far.has_value());
  EXPECT_EQ(far->stance, Stance::kNeutral);
  auto opinion = AnalyzeSentence("Overall, the idea is novel and the results are strong.", "summary");
  ASSERT_TRUE(opinion.has_value());
  EXPECT_EQ(opinion->stance, Stance::kPositive);
  auto strengths = AnalyzeSentence("The authors propose a novel framework for privileged learning.",
                                   "strengths_and_weaknesses");
  ASSERT_TRUE(strengths.has_value());
  EXPECT_EQ(strengths->stance, Stance::kPositive);
}

TEST(ReviewReader, AspectsOnHandLabelledSentences) {
  const std::pair<const char*, Aspect> cases[] = {
      {"The theoretical analysis is original.", Aspect::kTheory},
      {"This is the first benchmark dataset for tabular reasoning.", Aspect::kData},
      {"The task formulation is novel.", Aspect::kProblem},
      {"The proposed algorithm is incremental.", Aspect::kMethod},
      {"The empirical findings are not new.", Aspect::kResults},
      {"Applying diffusion models to the weather domain is novel.", Aspect::kApplication},
  };
  for (const auto& [sentence, aspect] : cases) {
    SCOPED_TRACE(sentence);
    auto st = AnalyzeSentence(sentence);
    ASSERT_TRUE(st.has_value());
    EXPECT_EQ(AspectName(st->aspect), std::string(AspectName(aspect)));
  }
}

TEST(ReviewReader, FindsNamedWorksOfEveryKind) {
  auto st = AnalyzeSentence(
      "This is similar to \"Privacy Auditing with One Training Run\", to arXiv 2402.09477 and to "
      "[Shokri 2017] (Nasr et al., 2023; Jagielski and Ullman, 2020), see also [3, 5-6].");
  ASSERT_TRUE(st.has_value());
  std::map<std::string, int> kinds;
  std::vector<std::string> texts;
  for (const auto& w : st->named_works) {
    ++kinds[NamedWorkKindName(w.kind)];
    texts.push_back(w.text);
  }
  EXPECT_EQ(kinds["title"], 1);
  EXPECT_EQ(kinds["arxiv"], 1);
  EXPECT_EQ(kinds["author_year"], 3);
  EXPECT_EQ(kinds["numbered"], 3);  // 3, 5, 6
  bool shokri = false, nasr = false, jagielski = false, title = false;
  for (const auto& w : st->named_works) {
    if (w.surname == "Shokri" && w.year == 2017) shokri = true;
    if (w.surname == "Nasr" && w.year == 2023) nasr = true;
    if (w.surname == "Jagielski" && w.year == 2020) jagielski = true;
    if (w.title == "Privacy Auditing with One Training Run") title = true;
  }
  EXPECT_TRUE(shokri);
  EXPECT_TRUE(nasr);
  EXPECT_TRUE(jagielski);
  EXPECT_TRUE(title);
  EXPECT_EQ(st->stance, Stance::kNegative);
}

TEST(ReviewReader, AuthorMentionsWithoutYearAndWithNumber) {
  auto st = AnalyzeSentence("The method closely follows Steinke et al. [1] and Mahloujifar et al.");
  ASSERT_TRUE(st.has_value());
  ASSERT_EQ(st->named_works.size(), 2u);
  EXPECT_EQ(st->named_works[0].kind, NamedWork::Kind::kNumbered);
  EXPECT_EQ(st->named_works[0].surname, "Steinke");
  EXPECT_EQ(st->named_works[0].number, 1);
  EXPECT_EQ(st->named_works[1].kind, NamedWork::Kind::kAuthor);
  EXPECT_EQ(st->named_works[1].surname, "Mahloujifar");
}

TEST(ReviewReader, ScareQuotesAreNotTitles) {
  auto st = AnalyzeSentence("The so-called \"new paradigm\" is not new at all.");
  ASSERT_TRUE(st.has_value());
  EXPECT_TRUE(st->named_works.empty());
}

TEST(ReviewReader, ReferenceEntriesFromFulltext) {
  const std::string fulltext =
      "## Introduction\nText.\n\n## References\n\n"
      "- [1] Thomas Steinke, Milad Nasr, and Matthew Jagielski. Privacy auditing with one training "
      "run. NeurIPS, 2023.\n"
      "- [2] Reza Shokri and Vitaly Shmatikov. Membership inference attacks against machine "
      "learning models. In IEEE S&P, 2017.\n"
      "\n## Appendix\n- [3] Not a reference but an appendix item that is long enough.\n";
  auto refs = ReferencesFromFulltext(fulltext);
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].number, 1);
  EXPECT_EQ(refs[1].number, 2);
  EXPECT_NE(refs[1].text.find("Membership inference"), std::string::npos);
  EXPECT_TRUE(ReferencesFromFulltext("## Intro\nNo references here.").empty());
}

TEST(ReviewReader, ConclusionFromScoreAndText) {
  EXPECT_EQ(ConclusionFromScore(4), ReviewConclusion::kNovel);
  EXPECT_EQ(ConclusionFromScore(3), ReviewConclusion::kNovel);
  EXPECT_EQ(ConclusionFromScore(2), ReviewConclusion::kIncremental);
  EXPECT_EQ(ConclusionFromScore(1), ReviewConclusion::kNotNovel);
  EXPECT_EQ(ConclusionFromScore(0), ReviewConclusion::kNoOpinion);
  EXPECT_EQ(ConclusionFromScore(7), ReviewConclusion::kNoOpinion);

  using RC = ReviewConclusion;
  EXPECT_EQ(CombineConclusion(RC::kNotNovel, 4, false), RC::kNovel);
  EXPECT_EQ(CombineConclusion(RC::kIncremental, 3, false), RC::kIncremental);
  EXPECT_EQ(CombineConclusion(RC::kIncremental, 3, true), RC::kNovel);
  EXPECT_EQ(CombineConclusion(RC::kNoOpinion, 3, false), RC::kNovel);
  EXPECT_EQ(CombineConclusion(RC::kNovel, 2, true), RC::kIncremental);
  EXPECT_EQ(CombineConclusion(RC::kNotNovel, 2, false), RC::kNotNovel);
  EXPECT_EQ(CombineConclusion(RC::kNovel, 1, true), RC::kNotNovel);
  EXPECT_EQ(CombineConclusion(RC::kIncremental, 0, false), RC::kIncremental);
  EXPECT_EQ(CombineConclusion(RC::kNoOpinion, 0, false), RC::kNoOpinion);

  auto statement = [](Stance s, int strength) {
    NoveltyStatement st;
    st.stance = s;
    st.negative_strength = strength;
    return st;
  };
  EXPECT_EQ(ConclusionFromStatements({}), RC::kNoOpinion);
  EXPECT_EQ(ConclusionFromStatements({statement(Stance::kNeutral, 0)}), RC::kNoOpinion);
  EXPECT_EQ(ConclusionFromStatements({statement(Stance::kPositive, 0)}), RC::kNovel);
  EXPECT_EQ(ConclusionFromStatements({statement(Stance::kNegative, 1)}), RC::kIncremental);
  EXPECT_EQ(ConclusionFromStatements({statement(Stance::kNegative, 2)}), RC::kNotNovel);
  // Mixed: a tie is incremental; more positive is novel.
  EXPECT_EQ(ConclusionFromStatements({statement(Stance::kPositive, 0), statement(Stance::kNegative, 2)}),
            RC::kIncremental);
  EXPECT_EQ(ConclusionFromStatements({statement(Stance::kPositive, 0), statement(Stance::kPositive, 0),
                                      statement(Stance::kNegative, 1)}),
            RC::kNovel);
}

TEST(ReviewReader, ReadsAWholeReviewWithSectionsAndResolvesWorks) {
  const std::string review =
      "SUMMARY:\nThe authors propose a novel method for one-run auditing.\n\n"
      "STRENGTHS AND WEAKNESSES:\n**Strengths:**\n- The paper is well written.\n\n"
      "**Weaknesses:**\n- Novelty. The analysis builds on Steinke et al. (2023).\n"
      "- The idea is incremental over [2] and essentially the same as \"Some Unrelated Title Of A "
      "Paper\" [R1].\n\n"
      "QUESTIONS:\nHow does this differ from [2]?\n\n"
      "LIMITATIONS:\nYes\n\n"
      "[1] J. Doe. Deep residual learning for image recognition. 2016.\n";
  PaperContext paper;
  paper.references = ParseReferenceEntries(
      "[1] Thomas Steinke, Milad Nasr, and Matthew Jagielski. Privacy auditing with one training "
      "run. NeurIPS, 2023.\n"
      "[2] Reza Shokri and Vitaly Shmatikov. Membership inference attacks against machine learning "
      "models. In IEEE S&P, 2017.\n");
  FixtureResolver resolver({{"Privacy auditing with one training run", "corpus:steinke"},
                            {"Membership inference attacks against machine learning models",
                             "corpus:shokri"}});
  ReviewReaderOptions options;
  options.resolver = &resolver;
  ReviewReading r = ReadReview(review, 2, paper, options);
  // Summary (neutral), "Novelty." under weaknesses, the Steinke sentence, the
  // incremental sentence, the question.
  ASSERT_GE(r.statements.size(), 4u);
  EXPECT_EQ(r.statements[0].section, "summary");
  EXPECT_EQ(r.statements[0].stance, Stance::kNeutral);
  int negative = 0, positive = 0;
  for (const auto& s : r.statements) {
    negative += s.stance == Stance::kNegative;
    positive += s.stance == Stance::kPositive;
  }
  EXPECT_GE(negative, 2);
  EXPECT_EQ(positive, 0);
  EXPECT_EQ(r.text_conclusion, ReviewConclusion::kNotNovel);  // "essentially the same"
  EXPECT_EQ(r.score_conclusion, ReviewConclusion::kIncremental);
  EXPECT_EQ(r.conclusion, ReviewConclusion::kNotNovel);  // score 2, text clearly negative
  // Steinke et al. (2023) resolves through the paper's references; [2] too;
  // the unrelated quoted title does not resolve.
  ASSERT_EQ(r.resolved_prior_ids.size(), 2u);
  EXPECT_EQ(r.resolved_prior_ids[0], "corpus:steinke");
  EXPECT_EQ(r.resolved_prior_ids[1], "corpus:shokri");
  // The review's own reference list is not read as statements.
  for (const auto& s : r.statements) EXPECT_EQ(s.text.find("J. Doe"), std::string::npos);
}

TEST(ReviewReader, ReviewersOwnReferenceListWinsForItsNumbers) {
  const std::string review =
      "STRENGTHS AND WEAKNESSES:\nThe method is very similar to [1].\n\n"
      "[1] K. He et al. Deep residual learning for image recognition. CVPR 2016.\n";
  PaperContext paper;
  paper.references = ParseReferenceEntries(
      "[1] Reza Shokri and Vitaly Shmatikov. Membership inference attacks against machine learning "
      "models. 2017.\n");
  FixtureResolver resolver({{"Deep residual learning for image recognition", "corpus:resnet"},
                            {"Membership inference attacks against machine learning models",
                             "corpus:shokri"}});
  ReviewReaderOptions options;
  options.resolver = &resolver;
  ReviewReading r = ReadReview(review, 0, paper, options);
  ASSERT_EQ(r.resolved_prior_ids.size(), 1u);
  EXPECT_EQ(r.resolved_prior_ids[0], "corpus:resnet");
  EXPECT_EQ(r.conclusion, ReviewConclusion::kIncremental);  // no score: the text alone
}

TEST(ReviewReader, SurvivesHostileText) {
  // Long runs of the characters the finders key on, invalid UTF-8 and NUL
  // bytes: no crash, and linear enough to finish at once.
  std::string hostile;
  for (int i = 0; i < 20000; ++i) hostile += "[";
  for (int i = 0; i < 5000; ++i) hostile += "Smith et al. (2020 \"*_";
  for (int i = 0; i < 5000; ++i) hostile += "novel not limited novelty ";
  hostile += std::string("\xff\xfe\0[12", 7);
  for (int i = 0; i < 20000; ++i) hostile += "2301.1234";
  ReviewReading r = ReadReview("SUMMARY:\n" + hostile + "\n\nSTRENGTHS AND WEAKNESSES:\n" + hostile, 3, {});
  EXPECT_FALSE(r.statements.empty());
  EXPECT_EQ(r.conclusion, ReviewConclusion::kNovel);
}

TEST(ReviewReader, EmptyAndOpinionlessReviews) {
  ReviewReading empty = ReadReview("", 0, {});
  EXPECT_TRUE(empty.statements.empty());
  EXPECT_EQ(empty.conclusion, ReviewConclusion::kNoOpinion);
  ReviewReading plain = ReadReview("SUMMARY:\nA paper.\n\nSTRENGTHS AND WEAKNESSES:\nClear writing.", 3, {});
  EXPECT_TRUE(plain.statements.empty());
  EXPECT_EQ(plain.text_conclusion, ReviewConclusion::kNoOpinion);
  EXPECT_EQ(plain.conclusion, ReviewConclusion::kNovel);
}

}  // namespace
}  // namespace novelta::alignment
