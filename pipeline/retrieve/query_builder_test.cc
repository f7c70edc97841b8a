#include "pipeline/retrieve/query_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "pipeline/ingest/ingest.h"

namespace novelta {
namespace {

// A paper whose headings mention references without being the references:
// its queries and own text must cover everything up to the real list.
const char kPaper[] =
    "# Aligning Models Without Rewards\n\n"
    "## Abstract\n\n"
    "We align language models to preferences without a reward model.\n\n"
    "## 1 Introduction\n\n"
    "Alignment from human preferences usually trains a reward model first and then optimises a policy "
    "against it with reinforcement learning, which is unstable, costly and sensitive to the reward "
    "model's errors; we show that the reward model can be dropped altogether.\n\n"
    "## 2 Related Work\n\n"
    "Preference learning has a long history in ranking, bandits and recommendation, where pairwise "
    "comparisons are modelled directly; reinforcement learning from human feedback brought it to "
    "language models, and several works since have tried to simplify its training pipeline.\n\n"
    "## 2.1 Preferences\n\n"
    "Pairwise preferences were modelled by Bradley and Terry [2] long before any language model existed.\n\n"
    "## 3 Direct Preference Optimization\n\n"
    "Our objective builds on direct preference optimization as introduced by Rafailov et al. in 2023.\n\n"
    "## 4 Bibliography-free evaluation\n\n"
    "We evaluate without reference answers, comparing with the LLM judges of Zheng et al. [3] on MT-Bench.\n\n"
    "## References\n\n"
    "- [2] R. Bradley and M. Terry. Rank analysis of incomplete block designs. 1952.\n"
    "- [3] L. Zheng et al. Judging LLM-as-a-judge with MT-Bench. 2023.\n";

Submission Paper() {
  auto s = ParseMarkdownSubmission(kPaper, "paper.md");
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return *s;
}

bool Has(const std::vector<std::string>& v, const std::string& part) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& x) { return x.find(part) != std::string::npos; });
}

TEST(QueryBuilderTest, OwnTextRunsToTheReferencesPastHeadingsThatMentionThem) {
  const std::string own = OwnText(Paper());
  EXPECT_NE(own.find("direct preference optimization as introduced"), std::string::npos);
  EXPECT_NE(own.find("comparing with the LLM judges"), std::string::npos);
  EXPECT_EQ(own.find("Rank analysis of incomplete block designs"), std::string::npos);
}

TEST(QueryBuilderTest, ContextParagraphsAndCitingSentencesComeFromTheirSections) {
  const Submission s = Paper();
  auto context = ContextParagraphs(s, 24);
  // The related-work section's opening paragraph, then the introduction's.
  ASSERT_EQ(context.size(), 2u);
  EXPECT_NE(context[0].find("Preference learning has a long history"), std::string::npos);
  EXPECT_NE(context[1].find("Alignment from human preferences"), std::string::npos);
  EXPECT_EQ(ContextParagraphs(s, 1).size(), 1u);

  auto citing = CitationSentences(s, 24);
  EXPECT_TRUE(Has(citing, "Bradley and Terry [2]"));         // a related-work subsection
  EXPECT_TRUE(Has(citing, "as introduced by Rafailov et al."));  // "3 Direct Preference Optimization"
  EXPECT_TRUE(Has(citing, "LLM judges of Zheng et al. [3]"));    // "4 Bibliography-free evaluation"
  EXPECT_FALSE(Has(citing, "Rank analysis"));                    // never the references list
  EXPECT_EQ(CitationSentences(s, 1).size(), 1u);
  EXPECT_TRUE(CitationSentences(s, 0).empty());
}

TEST(QueryBuilderTest, ASubmissionWithoutFullTextHasOnlyItsOwnFields) {
  Submission s;
  s.title = "T";
  s.abstract = "An abstract.";
  EXPECT_EQ(OwnText(s), "T\nAn abstract.\n");
  EXPECT_TRUE(ContextParagraphs(s, 24).empty());
  EXPECT_TRUE(CitationSentences(s, 24).empty());
}

}  // namespace
}  // namespace novelta
