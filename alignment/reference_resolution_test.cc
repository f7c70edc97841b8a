#include "alignment/reference_resolution.h"

#include <gtest/gtest.h>

namespace novelta::alignment::review_internal {
namespace {

class OneTitleResolver : public PriorWorkResolver {
 public:
  std::string ResolveTitle(std::string_view title, int) const override {
    return title == "Privacy Auditing with One Training Run" ? "corpus:steinke" : "";
  }
  std::string ResolveReference(std::string_view reference) const override {
    return reference.find("Privacy auditing") != std::string_view::npos ? "corpus:steinke" : "";
  }
};

TEST(ReferenceResolution, ReviewReferenceListLines) {
  ReferenceEntry e;
  ASSERT_TRUE(ReferenceListLine("- [3] Smith et al. A title of the paper. 2020.", &e));
  EXPECT_EQ(e.number, 3);
  EXPECT_EQ(e.text, "Smith et al. A title of the paper. 2020.");
  // A sentence citing [3] has neither a year nor a quote.
  EXPECT_FALSE(ReferenceListLine("[3] shows the same bound for convex losses.", &e));
  EXPECT_FALSE(ReferenceListLine("[3] short 2020", &e));
}

TEST(ReferenceResolution, OwnListFirstThenThePapers) {
  PaperContext paper;
  paper.references = {{1, "Thomas Steinke, Milad Nasr. Privacy auditing with one training run. 2023."},
                      {2, "Reza Shokri. Membership inference attacks. 2017."}};
  const std::vector<ReferenceEntry> own = {{1, "Someone Else. Another paper entirely. 2021."}};
  OneTitleResolver resolver;

  NamedWork numbered;
  numbered.kind = NamedWork::Kind::kNumbered;
  numbered.number = 1;
  EXPECT_TRUE(Resolve(&numbered, true, own, paper, &resolver));
  EXPECT_EQ(numbered.reference, own[0].text);  // the review's own [1]
  EXPECT_EQ(numbered.corpus_id, "");

  NamedWork author;
  author.kind = NamedWork::Kind::kAuthorYear;
  author.surname = "Steinke";
  author.year = 2023;
  EXPECT_TRUE(Resolve(&author, true, own, paper, &resolver));
  EXPECT_EQ(author.reference, paper.references[0].text);
  EXPECT_EQ(author.corpus_id, "corpus:steinke");

  // A quoted phrase that neither resolves nor looks like a title is dropped.
  NamedWork phrase;
  phrase.kind = NamedWork::Kind::kTitle;
  phrase.title = "a so called new paradigm";
  EXPECT_FALSE(Resolve(&phrase, false, own, paper, &resolver));
  NamedWork title;
  title.kind = NamedWork::Kind::kTitle;
  title.title = "Privacy Auditing with One Training Run";
  EXPECT_TRUE(Resolve(&title, true, own, paper, &resolver));
  EXPECT_EQ(title.corpus_id, "corpus:steinke");
  // Without a resolver nothing gets a corpus id.
  NamedWork unresolved = author;
  unresolved.corpus_id.clear();
  EXPECT_TRUE(Resolve(&unresolved, true, own, paper, nullptr));
  EXPECT_EQ(unresolved.corpus_id, "");
}

// The references list is the section ingest finds (FindSections), so its
// heading may carry a page number or be a bold line.
TEST(ReferenceResolution, ReferencesSectionAsIngestFindsIt) {
  const std::string entry1 = "[1] Thomas Steinke. Privacy auditing with one training run. NeurIPS, 2023.";
  const std::string entry2 = "[2] Reza Shokri. Membership inference attacks against models. 2017.";
  const std::string body = "# A Title\n\n## Abstract\n\nWe study things.\n\n## 1 Introduction\n\nText.\n\n";
  for (const std::string heading : {"## References", "## References 345", "**References**", "## 7 References"}) {
    const std::string fulltext = body + heading + "\n\n" + entry1 + "\n" + entry2 +
                                 "\n\n## A Proofs\n\n[3] An appendix line that is long enough, 2020.\n";
    auto refs = ReferencesFromFulltext(fulltext);
    ASSERT_EQ(refs.size(), 2u) << heading;
    EXPECT_EQ(refs[0].number, 1);
    EXPECT_EQ(refs[1].number, 2);
  }
  EXPECT_TRUE(ReferencesFromFulltext(body).empty());
  EXPECT_TRUE(ReferencesFromFulltext("").empty());
  // A heading on the text's last line: an empty list.
  EXPECT_TRUE(ReferencesFromFulltext(body + "## References").empty());
}

}  // namespace
}  // namespace novelta::alignment::review_internal
