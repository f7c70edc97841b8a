// Sections found once, in ingest (Submission::sections): every later reader
// of the full text uses these, so a heading that merely mentions a reference
// ("Direct Preference Optimization", "Bibliography-free ...") must not end the
// paper, and every section must say what it is.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/ingest/ingest.h"

namespace novelta {
namespace {

const char kPaper[] =
    "# Aligning Models Without Rewards\n\n"
    "Ann Author, Bob Author\n\n"
    "## Abstract\n\n"
    "We align language models to preferences without a reward model, and show it matches RLHF.\n\n"
    "## 1 Introduction\n\n"
    "Alignment from preferences is costly [1].\n\n"
    "## 1.1 Contributions\n\n"
    "We propose a preference objective that needs no reward model, following Rafailov et al. closely.\n\n"
    "## 2 Related Work\n\n"
    "Preference learning has a long history in ranking and bandits.\n\n"
    "## 2.1 Preferences\n\n"
    "Pairwise preferences were modelled by Bradley and Terry [2] long before language models.\n\n"
    "## 3 Direct Preference Optimization\n\n"
    "Our method builds on direct preference optimization as introduced by Rafailov et al. in 2023.\n\n"
    "## 4 Bibliography-free evaluation\n\n"
    "We evaluate without any reference answers, comparing to the judgements of Zheng et al. [3].\n\n"
    "## References\n\n"
    "- [1] A. One. Learning from preferences. 2020.\n"
    "- [2] R. Bradley and M. Terry. Rank analysis of incomplete block designs. 1952.\n"
    "- [3] L. Zheng et al. Judging LLM-as-a-judge. 2023.\n\n"
    "## Table of Contents\n\n"
    "A Proofs ..... 12\n\n"
    "## A Proofs\n\n"
    "The proof of Theorem 1 follows.\n";

struct Expected {
  const char* heading;
  SectionKind kind;
  int level;
};

TEST(SectionsTest, HeadingsThatMentionReferencesDoNotEndThePaper) {
  std::vector<Section> sections = FindSections(kPaper, /*markdown=*/true);
  const std::vector<Expected> expected = {
      {"Aligning Models Without Rewards", SectionKind::kFront, 1},
      {"Abstract", SectionKind::kAbstract, 1},
      {"1 Introduction", SectionKind::kIntroduction, 1},
      {"1.1 Contributions", SectionKind::kIntroduction, 2},
      {"2 Related Work", SectionKind::kRelatedWork, 1},
      {"2.1 Preferences", SectionKind::kRelatedWork, 2},
      {"3 Direct Preference Optimization", SectionKind::kBody, 1},
      {"4 Bibliography-free evaluation", SectionKind::kBody, 1},
      {"References", SectionKind::kReferences, 1},
      {"Table of Contents", SectionKind::kAppendix, 2},
      {"A Proofs", SectionKind::kAppendix, 1},
  };
  ASSERT_EQ(sections.size(), expected.size());
  const std::string text = kPaper;
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(sections[i].heading, expected[i].heading) << i;
    EXPECT_EQ(SectionKindName(sections[i].kind), std::string(SectionKindName(expected[i].kind)))
        << sections[i].heading;
    EXPECT_EQ(sections[i].level, expected[i].level) << sections[i].heading;
    // Each section starts at its heading line and ends where the next starts.
    EXPECT_EQ(text.substr(sections[i].start).find(expected[i].heading), i == 0 ? 2u : 3u) << i;
    EXPECT_EQ(sections[i].end, i + 1 < sections.size() ? sections[i + 1].start : text.size());
  }
  EXPECT_EQ(sections.front().start, 0u);
}

TEST(SectionsTest, EveryReaderFillsThemAndTheyDescribeItsFullText) {
  auto md = ParseMarkdownSubmission(kPaper, "paper.md");
  ASSERT_TRUE(md.ok()) << md.status().ToString();
  EXPECT_EQ(md->sections.size(), 11u);
  EXPECT_EQ(md->sections.back().end, md->fulltext.size());
  EXPECT_EQ(md->references.size(), 3u);

  Json j = {{"title", "T"}, {"abstract", "An abstract of the paper."}, {"fulltext", kPaper}};
  auto js = ParseSubmissionJsonValue(j, "paper.json");
  ASSERT_TRUE(js.ok()) << js.status().ToString();
  ASSERT_EQ(js->sections.size(), md->sections.size());
  for (size_t i = 0; i < js->sections.size(); ++i) EXPECT_EQ(js->sections[i].start, md->sections[i].start);

  // Plain text (and PDF) headings are short numbered lines.
  const std::string plain =
      "Aligning Models Without Rewards\n\nAbstract\n\nWe align language models to preferences without a "
      "reward model, and show that doing so matches RLHF on three benchmarks of instruction following "
      "and summarisation while costing a fraction of its compute and needing no sampling at all.\n\n"
      "1 Introduction\n\nAlignment from preferences is costly.\n\n"
      "2 Direct Preference Optimization\n\nOur method builds on it.\n\n"
      "References\n\n[1] A. One. Learning from preferences. 2020.\n";
  auto txt = ParsePlainTextSubmission(plain, "paper.txt");
  ASSERT_TRUE(txt.ok()) << txt.status().ToString();
  std::vector<SectionKind> kinds;
  for (const auto& s : txt->sections) kinds.push_back(s.kind);
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), SectionKind::kBody), kinds.end());
  EXPECT_EQ(kinds.back(), SectionKind::kReferences);
}

TEST(SectionsTest, ATextWithoutHeadingsIsOneFrontSection) {
  auto sections = FindSections("Just a paragraph of text.\nAnd another line.", true);
  ASSERT_EQ(sections.size(), 1u);
  EXPECT_EQ(sections[0].kind, SectionKind::kFront);
  EXPECT_EQ(sections[0].start, 0u);
  EXPECT_TRUE(FindSections("", true).size() <= 1u);
}

}  // namespace
}  // namespace novelta
