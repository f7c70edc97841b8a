#include "pipeline/ingest/pdf_layout.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace novelta::ingest_internal {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Sets text the way a PDF does: word boxes on a baseline, 0.5 em a character
// and 0.25 em between words.
class PageBuilder {
 public:
  explicit PageBuilder(double width = 612, double height = 792) {
    page_.width = width;
    page_.height = height;
  }
  // Returns the x after the last word.
  double Line(double x, double baseline, const std::string& text, double size = 10, bool bold = false,
              int rotation = 0) {
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find(' ', start);
      if (end == std::string::npos) end = text.size();
      if (end > start) x = Word(x, baseline, text.substr(start, end - start), size, bold, rotation) + 0.25 * size;
      start = end + 1;
    }
    return x;
  }
  double Word(double x, double baseline, const std::string& w, double size, bool bold = false, int rotation = 0) {
    PdfWord word;
    word.text = w;
    word.x0 = x;
    word.x1 = x + 0.5 * size * static_cast<double>(w.size());
    word.y0 = baseline - 0.8 * size;
    word.y1 = baseline + 0.2 * size;
    word.size = size;
    word.bold = bold;
    word.rotation = rotation;
    page_.words.push_back(word);
    return word.x1;
  }
  // A paragraph from `baseline`, lines 1.2 em apart, justified to `width`
  // but for its last line (unless it goes on, on the next page); returns the
  // next baseline.
  double Paragraph(double x, double baseline, const std::vector<std::string>& lines, double size = 10,
                   double width = 468, bool goes_on = false) {
    for (size_t i = 0; i < lines.size(); ++i) {
      const size_t first = page_.words.size();
      const double end = Line(x, baseline, lines[i], size) - 0.25 * size;
      const size_t n = page_.words.size() - first;
      if ((i + 1 < lines.size() || goes_on) && n > 1 && end < x + width) {
        const double extra = (x + width - end) / static_cast<double>(n - 1);
        for (size_t k = 1; k < n; ++k) {
          page_.words[first + k].x0 += extra * static_cast<double>(k);
          page_.words[first + k].x1 += extra * static_cast<double>(k);
        }
      }
      baseline += 1.2 * size;
    }
    return baseline;
  }
  PdfPageWords Build() const { return page_; }

 private:
  PdfPageWords page_;
};

std::string Markdown(const std::vector<PdfPageWords>& pages, std::string* title = nullptr) {
  std::string t;
  return LinesToMarkdown(OrderLines(pages), title != nullptr ? title : &t);
}

const std::vector<std::string> kIntro = {
    "Sparse mixtures of experts route each token to a small subset of experts and thereby",
    "keep the cost of a forward pass nearly constant as the model grows. Yet the router is",
    "trained with the rest of the network and collapses onto a few favoured experts in practice.",
    "We propose a balanced router."};

TEST(PdfLayoutTest, SmallCapitalsAreOneWordAndHeadingsGetTheirLevel) {
  PageBuilder p;
  p.Line(180, 90, "Routing Tokens Fairly", 17, true);
  // "1 INTRODUCTION" set in small capitals: a large "I" and a smaller rest, no gap between.
  double x = p.Word(72, 140, "1", 12, true) + 3;
  x = p.Word(x, 140, "I", 12, true);
  p.Word(x + 0.4, 140, "NTRODUCTION", 9.6, true);
  double y = p.Paragraph(72, 160, kIntro);
  p.Line(72, y + 10, "3.1 Balanced routing", 10, true);
  p.Paragraph(72, y + 30, kIntro);
  std::string title;
  std::string md = Markdown({p.Build()}, &title);
  EXPECT_EQ(title, "Routing Tokens Fairly");
  EXPECT_THAT(md, HasSubstr("# Routing Tokens Fairly\n"));
  EXPECT_THAT(md, HasSubstr("\n## 1 INTRODUCTION\n"));
  EXPECT_THAT(md, HasSubstr("\n### 3.1 Balanced routing\n"));
  EXPECT_THAT(md, HasSubstr("thereby keep the cost"));
}

TEST(PdfLayoutTest, LineNumbersRunningHeadersAndPageNumbersAreDropped) {
  std::vector<PdfPageWords> pages;
  for (int n = 0; n < 3; ++n) {
    PageBuilder p;
    p.Line(72, 50, "Under review as a conference paper at ICLR 2026");
    double y = 100;
    for (int line = 0; line < 12; ++line, y += 12) {
      p.Word(50, y, std::to_string(100 + n * 12 + line), 5);  // left margin
      p.Word(560, y, std::to_string(100 + n * 12 + line), 5);  // right margin
    }
    p.Paragraph(72, 100, kIntro);
    p.Paragraph(72, 160, kIntro);
    p.Line(300, 740, std::to_string(n + 1));
    pages.push_back(p.Build());
  }
  std::string md = Markdown(pages);
  EXPECT_THAT(md, Not(HasSubstr("Under review")));
  EXPECT_THAT(md, Not(HasSubstr("100")));
  EXPECT_THAT(md, Not(HasSubstr("135")));
  EXPECT_THAT(md, HasSubstr("We propose a balanced router."));
  // Nothing but the paragraphs is left.
  for (const std::string& w : {"1", "2", "3"}) EXPECT_THAT(md, Not(HasSubstr("\n" + w + "\n")));
}

TEST(PdfLayoutTest, TwoColumnsAreReadLeftThenRight) {
  PageBuilder p;
  p.Line(200, 80, "A Two Column Paper", 14, true);
  double y = 120;
  for (int i = 0; i < 12; ++i, y += 12) {
    p.Line(54, y, "left column words number " + std::to_string(i) + " go on here");
    p.Line(320, y, "right column words number " + std::to_string(i) + " go on here");
  }
  std::string md = Markdown({p.Build()});
  const size_t last_left = md.find("left column words number 11");
  const size_t first_right = md.find("right column words number 0");
  ASSERT_NE(last_left, std::string::npos);
  ASSERT_NE(first_right, std::string::npos);
  EXPECT_LT(last_left, first_right);
  EXPECT_THAT(md, HasSubstr("number 0 go on here left column words number 1"));
}

TEST(PdfLayoutTest, TitleIsNeverTheDateAboveItAndAuthorsAreSetAside) {
  PageBuilder p;
  p.Line(250, 60, "January 18, 2023", 18);
  p.Word(20, 400, "arXiv:2301.01234v2", 20, false, 90);  // the rotated stamp
  p.Line(150, 100, "A Predictive Code Learns", 16, true);
  p.Line(150, 120, "Grid Cells", 16, true);
  p.Line(200, 150, "Ada Lovelace  Alan Turing", 11);
  p.Line(200, 165, "University of Somewhere", 11);
  p.Line(280, 200, "Abstract", 12, true);
  p.Paragraph(72, 220, kIntro);
  std::string title;
  std::string md = Markdown({p.Build()}, &title);
  EXPECT_EQ(title, "A Predictive Code Learns Grid Cells");
  EXPECT_THAT(md, Not(HasSubstr("January")));
  EXPECT_THAT(md, Not(HasSubstr("arXiv")));
  EXPECT_THAT(md, Not(HasSubstr("Lovelace")));
  EXPECT_THAT(md, HasSubstr("## Abstract\n\nSparse mixtures"));
}

TEST(PdfLayoutTest, HyphensJoinAndParagraphsContinueAcrossPagesPastFootnotes) {
  PageBuilder a;
  a.Line(200, 80, "A Paper Title Here", 16, true);
  double y = a.Paragraph(72, 120, {"The first paragraph is long enough to fill the line and it ends with an experi-",
                                   "ment that goes on to the end of this line of text, as long as the others are,"},
                           10, 468, /*goes_on=*/true);
  (void)y;
  a.Line(72, 700, "1 Work done while at a lab, printed small at the bottom of the page.", 8);
  PageBuilder b;
  b.Paragraph(72, 100, {"and continues on the next page without an indent, so it is the same paragraph.",
                        "It is over."});
  std::string md = Markdown({a.Build(), b.Build()});
  EXPECT_THAT(md, HasSubstr("an experiment that goes on"));
  EXPECT_THAT(md, HasSubstr("others are, and continues on the next page"));
  // The footnote comes after the paragraph it interrupted.
  EXPECT_GT(md.find("1 Work done while"), md.find("It is over."));
}

TEST(PdfLayoutTest, ReferencesSplitAtTheirLabelsOnly) {
  PageBuilder p;
  p.Line(200, 80, "A Paper Title Here", 16, true);
  p.Paragraph(72, 120, kIntro);
  p.Line(72, 200, "References", 12, true);
  p.Line(72, 220, "[1] A. Author and B. Author. A long title of a paper that needs a second line. In");
  p.Line(90, 232, "Proceedings of a Conference, pages 1-10,");
  p.Line(90, 244, "2019. URL https://example.org/paper.");
  p.Line(72, 256, "[2] C. Author. Another paper. Journal, 2020.");
  p.Line(72, 268, "[3] D. Author. A third paper. Preprint, 2021.");
  std::string md = Markdown({p.Build()});
  EXPECT_THAT(md, HasSubstr("## References\n\n- [1] A. Author"));
  EXPECT_THAT(md, HasSubstr("pages 1-10, 2019. URL https://example.org/paper.\n- [2] C. Author"));
  EXPECT_THAT(md, HasSubstr("\n- [3] D. Author. A third paper. Preprint, 2021.\n"));
}

TEST(PdfLayoutTest, ReferencesSkipAFloatAndKeepALabelSetApart) {
  PageBuilder p;
  p.Line(200, 80, "A Paper Title Here", 16, true);
  p.Paragraph(72, 120, kIntro);
  p.Line(72, 200, "References", 12, true);
  p.Line(72, 220, "[1] A. Author. A first paper. Journal, 2019.");
  p.Line(72, 232, "[2]");  // TeX set the label on a line of its own
  p.Line(90, 244, "B. Author. A second paper. Journal, 2020.");
  p.Line(72, 268, "Table 3: Timings of each step, in seconds.");
  p.Line(72, 280, "Step Training Inference 1.8 0.05");
  p.Line(72, 304, "[3] C. Author. A third paper. Journal, 2021.");
  std::string md = Markdown({p.Build()});
  EXPECT_THAT(md, HasSubstr("- [1] A. Author. A first paper. Journal, 2019.\n"
                            "- [2] B. Author. A second paper. Journal, 2020.\n"
                            "- [3] C. Author. A third paper. Journal, 2021.\n"));
  EXPECT_THAT(md, Not(HasSubstr("Timings")));
}

TEST(PdfLayoutTest, ListItemsStayItems) {
  PageBuilder p;
  p.Line(200, 80, "A Paper Title Here", 16, true);
  p.Paragraph(72, 120, {"Our contributions are as follows:"});
  p.Paragraph(80, 140, {"\u2022 We propose a balanced router for sparse mixtures of experts that keeps"}, 10, 460, true);
  p.Paragraph(88, 152, {"every expert busy."});
  p.Paragraph(80, 164, {"\u2022 We show it matches dense models at a third of the cost."});
  std::string md = Markdown({p.Build()});
  EXPECT_THAT(md, HasSubstr("\n- We propose a balanced router for sparse mixtures of experts that keeps every expert busy.\n"));
  EXPECT_THAT(md, HasSubstr("\n- We show it matches dense models at a third of the cost.\n"));
}

TEST(PdfLayoutTest, TableAndEquationTextIsNotProse) {
  PageBuilder p;
  p.Line(200, 80, "A Paper Title Here", 16, true);
  double y = p.Paragraph(72, 120, kIntro);
  p.Line(250, y + 20, "f(x) = a + b", 10);  // a centred display equation
  p.Line(150, y + 50, "0.2 0.4 0.6 0.8 1.0", 10);
  p.Line(150, y + 62, "12.1 13.4 15.0 17.9", 10);
  p.Paragraph(72, y + 90, {"Table 1: Accuracy of each router on the held-out tasks, averaged over five seeds."}, 9);
  std::string md = Markdown({p.Build()});
  EXPECT_THAT(md, Not(HasSubstr("0.4 0.6")));
  EXPECT_THAT(md, Not(HasSubstr("f(x)")));
  EXPECT_THAT(md, HasSubstr("\n\nTable 1: Accuracy of each router"));
}

TEST(PdfLayoutTest, TextStartingWithAHashStaysText) {
  PageBuilder p;
  p.Line(200, 80, "A Paper Title Here", 16, true);
  p.Paragraph(72, 120, {"# of parameters grows with the number of experts, as the table below shows for each model."});
  std::string md = Markdown({p.Build()});
  EXPECT_THAT(md, HasSubstr("\n\\# of parameters grows"));
  EXPECT_THAT(md, Not(HasSubstr("\n# of parameters")));
}

TEST(PdfLayoutTest, WithoutALargerTitleTheFirstLineIsTheTitle) {
  PageBuilder p;
  p.Line(72, 60, "Balanced Routing for Sparse Experts");
  p.Line(72, 80, "Ada Lovelace");
  p.Line(72, 110, "Abstract", 10, true);
  p.Paragraph(72, 130, kIntro);
  p.Line(72, 200, "1 Introduction", 10, true);
  p.Paragraph(72, 220, kIntro);
  std::string title;
  std::string md = Markdown({p.Build()}, &title);
  EXPECT_EQ(title, "Balanced Routing for Sparse Experts");
  EXPECT_THAT(md, HasSubstr("# Balanced Routing for Sparse Experts\n\n## Abstract\n\nSparse mixtures"));
  EXPECT_THAT(md, HasSubstr("\n## 1 Introduction\n"));
}

TEST(PdfLayoutTest, EmptyAndDegenerateInputGiveEmptyText) {
  EXPECT_EQ(Markdown({}), "");
  PageBuilder p;
  PdfPageWords page = p.Build();
  PdfWord w;
  w.text = "x";
  w.x0 = 10, w.x1 = 5, w.y0 = 0, w.y1 = 1, w.size = 0;  // inverted box, no size
  page.words.push_back(w);
  EXPECT_EQ(Markdown({page}), "");
}

}  // namespace
}  // namespace novelta::ingest_internal
