#include "base/sentence_splitter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace novelta {
namespace {

std::vector<std::string> Split(std::string_view text) {
  std::vector<std::string> out;
  for (const SentenceSpan& s : SplitSentences(text)) out.emplace_back(text.substr(s.start, s.end - s.start));
  return out;
}

using Sentences = std::vector<std::string>;

TEST(SentenceSplitterTest, EmptyAndBlankInput) {
  EXPECT_TRUE(SplitSentences("").empty());
  EXPECT_TRUE(SplitSentences("  \n\t \n ").empty());
}

TEST(SentenceSplitterTest, PlainSentences) {
  EXPECT_EQ(Split("We propose X. It works! Does it scale? Yes."),
            (Sentences{"We propose X.", "It works!", "Does it scale?", "Yes."}));
}

TEST(SentenceSplitterTest, SpansAreTrimmedByteOffsets) {
  std::string text = "  First one.   Second one.  ";
  auto spans = SplitSentences(text);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].start, 2u);
  EXPECT_EQ(spans[0].end, 12u);
  EXPECT_EQ(spans[1].start, 15u);
  EXPECT_EQ(spans[1].end, 26u);
}

TEST(SentenceSplitterTest, NoTerminatorIsOneSentence) {
  EXPECT_EQ(Split("a title without a period"), (Sentences{"a title without a period"}));
}

TEST(SentenceSplitterTest, LatinAbbreviations) {
  EXPECT_EQ(Split("Many tasks, e.g. Translation, benefit. Others, i.e. The rest, do not."),
            (Sentences{"Many tasks, e.g. Translation, benefit.", "Others, i.e. The rest, do not."}));
  EXPECT_EQ(Split("We use priors (cf. Bishop) here. Done."),
            (Sentences{"We use priors (cf. Bishop) here.", "Done."}));
  EXPECT_EQ(Split("Ours vs. BERT is close. Next."), (Sentences{"Ours vs. BERT is close.", "Next."}));
  EXPECT_EQ(Split("The loss w.r.t. The weights. Next."),
            (Sentences{"The loss w.r.t. The weights.", "Next."}));
  EXPECT_EQ(Split("Stochastic descent a.k.a. SGD converges. Next."),
            (Sentences{"Stochastic descent a.k.a. SGD converges.", "Next."}));
  EXPECT_EQ(Split("It takes approx. 3 hours. Next."), (Sentences{"It takes approx. 3 hours.", "Next."}));
  EXPECT_EQ(Split("A and B improve by 2 and 3 points, resp. Both help."),
            (Sentences{"A and B improve by 2 and 3 points, resp. Both help."}));
}

TEST(SentenceSplitterTest, EtAlAndEtc) {
  EXPECT_EQ(Split("As shown by Smith et al. Transformers scale. We agree."),
            (Sentences{"As shown by Smith et al. Transformers scale.", "We agree."}));
  EXPECT_EQ(Split("This extends Smith et al. We add memory."),
            (Sentences{"This extends Smith et al.", "We add memory."}));
  EXPECT_EQ(Split("We study images, text, etc. The results hold."),
            (Sentences{"We study images, text, etc.", "The results hold."}));
  EXPECT_EQ(Split("Images, text, etc. are studied. Done."),
            (Sentences{"Images, text, etc. are studied.", "Done."}));
}

TEST(SentenceSplitterTest, ReferencesToFiguresEquationsSections) {
  EXPECT_EQ(Split("See Fig. 3 for details. As in Eq. 2 and Sec. 4.1, we set it. Tab. 2 lists it."),
            (Sentences{"See Fig. 3 for details.", "As in Eq. 2 and Sec. 4.1, we set it.",
                       "Tab. 2 lists it."}));
  EXPECT_EQ(Split("Shown in No. 5 and p. 12. Next."), (Sentences{"Shown in No. 5 and p. 12.", "Next."}));
}

TEST(SentenceSplitterTest, TitlesAndInitials) {
  EXPECT_EQ(Split("Dr. Smith and J. Doe wrote it. Then J. R. R. Tolkien read it."),
            (Sentences{"Dr. Smith and J. Doe wrote it.", "Then J. R. R. Tolkien read it."}));
  EXPECT_EQ(Split("Details are in Appendix A. Transformers are used."),
            (Sentences{"Details are in Appendix A.", "Transformers are used."}));
  EXPECT_EQ(Split("We mix vitamin C. The effect is large."),
            (Sentences{"We mix vitamin C.", "The effect is large."}));
  EXPECT_EQ(Split("Data from the U.S. Census Bureau. It is public."),
            (Sentences{"Data from the U.S. Census Bureau.", "It is public."}));
  EXPECT_EQ(Split("It was collected in the U.S. We release it."),
            (Sentences{"It was collected in the U.S.", "We release it."}));
}

TEST(SentenceSplitterTest, NumbersDecimalsVersions) {
  EXPECT_EQ(Split("Accuracy rises from 0.5 to 0.75. With v1.2 it is 3.5x faster. In 2020. 5 runs."),
            (Sentences{"Accuracy rises from 0.5 to 0.75.", "With v1.2 it is 3.5x faster.", "In 2020.",
                       "5 runs."}));
}

TEST(SentenceSplitterTest, Citations) {
  EXPECT_EQ(Split("This was studied before [12, 13]. We differ."),
            (Sentences{"This was studied before [12, 13].", "We differ."}));
  EXPECT_EQ(Split("This was studied (Smith et al., 2020). We differ."),
            (Sentences{"This was studied (Smith et al., 2020).", "We differ."}));
  EXPECT_EQ(Split("This was studied before.[3] We differ."),
            (Sentences{"This was studied before.[3]", "We differ."}));
  EXPECT_EQ(Split("It helps (see Sec. 3. Also Fig. 2). We differ."),
            (Sentences{"It helps (see Sec. 3. Also Fig. 2).", "We differ."}));
}

TEST(SentenceSplitterTest, InlineMathIsNeverSplit) {
  EXPECT_EQ(Split("Let $x = 1. Y$ hold. Then $\\epsilon < 0.5$. Done."),
            (Sentences{"Let $x = 1. Y$ hold.", "Then $\\epsilon < 0.5$.", "Done."}));
  EXPECT_EQ(Split("Let \\(a. B\\) be given. Next."), (Sentences{"Let \\(a. B\\) be given.", "Next."}));
  EXPECT_EQ(Split("We have $$\\sum_i x_i. Y = 1.$$ Hence it holds. Next."),
            (Sentences{"We have $$\\sum_i x_i. Y = 1.$$ Hence it holds.", "Next."}));
  EXPECT_EQ(Split("Define \\[ a. B \\] as before. Next."),
            (Sentences{"Define \\[ a. B \\] as before.", "Next."}));
}

TEST(SentenceSplitterTest, DollarAmountsAndStrayDollarsAreNotMath) {
  EXPECT_EQ(Split("It costs $5. We pay $10. Done."),
            (Sentences{"It costs $5.", "We pay $10.", "Done."}));
  EXPECT_EQ(Split("A stray $ sign. Another sentence."),
            (Sentences{"A stray $ sign.", "Another sentence."}));
  // An unclosed "$" does not swallow the rest of the paragraph.
  EXPECT_EQ(Split("Bad $x. Then more.\n\nNew paragraph. End."),
            (Sentences{"Bad $x.", "Then more.", "New paragraph.", "End."}));
}

TEST(SentenceSplitterTest, Urls) {
  EXPECT_EQ(Split("Code is at https://github.com/org/repo.git?x=1. Data at www.example.org. Done."),
            (Sentences{"Code is at https://github.com/org/repo.git?x=1.", "Data at www.example.org.",
                       "Done."}));
}

TEST(SentenceSplitterTest, Ellipses) {
  EXPECT_EQ(Split("Indices 1, 2, ... N are used. We wait... Then it ends."),
            (Sentences{"Indices 1, 2, ... N are used.", "We wait...", "Then it ends."}));
  EXPECT_EQ(Split("We wait\xE2\x80\xA6 Then it ends."), (Sentences{"We wait\xE2\x80\xA6", "Then it ends."}));
  EXPECT_EQ(Split("Steps a... and b follow."), (Sentences{"Steps a... and b follow."}));
}

TEST(SentenceSplitterTest, ClosingQuotesAndBrackets) {
  EXPECT_EQ(Split("He said \"it works.\" Then he left."),
            (Sentences{"He said \"it works.\"", "Then he left."}));
  EXPECT_EQ(Split("(This is an aside.) Then more."), (Sentences{"(This is an aside.)", "Then more."}));
  EXPECT_EQ(Split("They call it \xE2\x80\x9C" "fast.\xE2\x80\x9D It is."),
            (Sentences{"They call it \xE2\x80\x9C" "fast.\xE2\x80\x9D", "It is."}));
  EXPECT_EQ(Split("**Contributions.** We propose X."), (Sentences{"**Contributions.**", "We propose X."}));
}

TEST(SentenceSplitterTest, LowercaseContinuationIsNotABreak) {
  EXPECT_EQ(Split("Is it new? not really. Fine."), (Sentences{"Is it new? not really.", "Fine."}));
}

TEST(SentenceSplitterTest, MarkdownHeadingsEndSentences) {
  EXPECT_EQ(Split("## 1. Introduction\nDeep nets work. They scale\n## 2. Method\nWe do X"),
            (Sentences{"## 1. Introduction", "Deep nets work.", "They scale", "## 2. Method", "We do X"}));
}

TEST(SentenceSplitterTest, MarkdownListItemsEndSentences) {
  EXPECT_EQ(Split("Our contributions are:\n- We propose X\n- We show Y. It is fast\n1. We release Z\n"
                  "(2) We prove W\n* We test V"),
            (Sentences{"Our contributions are:", "- We propose X", "- We show Y.", "It is fast",
                       "1. We release Z", "(2) We prove W", "* We test V"}));
}

TEST(SentenceSplitterTest, BlankLinesEndSentencesButSoftWrapsDoNot) {
  EXPECT_EQ(Split("A title without period\n\nThe text is\nwrapped here. Next one\n  \nLast"),
            (Sentences{"A title without period", "The text is\nwrapped here.", "Next one", "Last"}));
  EXPECT_EQ(Split("Windows lines.\r\n\r\nNext para."), (Sentences{"Windows lines.", "Next para."}));
}

TEST(SentenceSplitterTest, TableRowsAreUnits) {
  EXPECT_EQ(Split("Results follow.\n| Model | Acc. |\n| A | 0.5 |\nThey are good."),
            (Sentences{"Results follow.", "| Model | Acc. |", "| A | 0.5 |", "They are good."}));
}

TEST(SentenceSplitterTest, UnbalancedParenthesisDoesNotSwallowTheText) {
  std::string text = "An unclosed (paren here. ";
  for (int i = 0; i < 20; ++i) text += "Filler sentence number " + std::to_string(i) + " goes here. ";
  auto sentences = Split(text);
  // The bracket stops being honoured after a bounded distance.
  EXPECT_GE(sentences.size(), 10u);
  EXPECT_EQ(sentences.back(), "Filler sentence number 19 goes here.");
}

// Spans are ordered, non-overlapping, in range and trimmed, for any input.
void CheckSpanInvariants(std::string_view text) {
  auto spans = SplitSentences(text);
  size_t prev_end = 0;
  for (const SentenceSpan& s : spans) {
    ASSERT_LE(prev_end, s.start);
    ASSERT_LT(s.start, s.end);
    ASSERT_LE(s.end, text.size());
    ASSERT_FALSE(std::isspace(static_cast<unsigned char>(text[s.start])));
    ASSERT_FALSE(std::isspace(static_cast<unsigned char>(text[s.end - 1])));
    prev_end = s.end;
  }
}

TEST(SentenceSplitterTest, FuzzRandomBytes) {
  std::mt19937 rng(20250515);
  for (int round = 0; round < 2000; ++round) {
    std::string text(rng() % 300, '\0');
    for (char& c : text) c = static_cast<char>(rng() & 0xFF);
    CheckSpanInvariants(text);
  }
}

TEST(SentenceSplitterTest, FuzzPunctuationHeavyText) {
  // Random text over the characters the splitter treats specially.
  const std::string alphabet = "aB. ?!$\\()[]\n\n#-*|1\"'e.g,;:_^";
  std::mt19937 rng(7);
  for (int round = 0; round < 3000; ++round) {
    std::string text(rng() % 200, ' ');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    CheckSpanInvariants(text);
  }
}

// Pathological inputs must stay linear: each is 1 MB and must split fast.
TEST(SentenceSplitterTest, LinearTimeOnPathologicalInput) {
  const std::vector<std::string> units = {"$a ", "(", "\\(", "$$", "\\[", "x. ", "\n ", ". ", "[1"};
  for (const std::string& unit : units) {
    std::string text;
    while (text.size() < (1u << 20)) text += unit;
    auto begin = std::chrono::steady_clock::now();
    auto spans = SplitSentences(text);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    EXPECT_LT(seconds, 2.0) << "unit '" << unit << "' took " << seconds << " s";
    CheckSpanInvariants(text);
  }
}

}  // namespace
}  // namespace novelta
