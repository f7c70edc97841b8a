#include "pipeline/retrieve/related_finder.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "index/test_index_util.h"

namespace novelta {
namespace {

class RelatedFinderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto idx = PaperIndex::Open(testing::FixtureIndexDir());
    ASSERT_TRUE(idx.ok()) << idx.status().ToString();
    index_ = std::move(idx).value();
  }
  // A graph-learning submission that mentions BERT in passing: the name
  // brings BERT's paper in, though nothing else relates it.
  static Submission GraphPaper() {
    Submission s;
    s.title = "Attention for Node Classification";
    s.abstract = "We propose a graph neural network with attention for node classification. "
                 "Unlike BERT, it needs no pre-training on text.";
    s.submitted = *Date::Parse("2023-01-01");
    return s;
  }
  std::vector<PriorWork> Find(const Submission& s) {
    RetrievalOptions o;
    o.named_min_closeness = 0;  // only the references decide here
    o.feedback_works = feedback_works_;
    RelatedFinder finder(index_.get(), o);
    auto related = finder.Find(s, {}, 2, s.submitted);
    EXPECT_TRUE(related.ok()) << related.status().ToString();
    return related.ok() ? *related : std::vector<PriorWork>{};
  }
  static const PriorWork* ById(const std::vector<PriorWork>& works, const std::string& id) {
    auto it = std::find_if(works.begin(), works.end(), [&](const PriorWork& w) { return w.id == id; });
    return it == works.end() ? nullptr : &*it;
  }
  std::unique_ptr<PaperIndex> index_;
  int feedback_works_ = 0;
};

TEST_F(RelatedFinderTest, ANameOnlyCountsWhenTheReferencesCiteItsPaper) {
  // Without references there is no telling: the named paper is listed.
  Submission s = GraphPaper();
  const auto unreferenced = Find(s);
  const PriorWork* bert = ById(unreferenced, "fx-nlp-02");
  ASSERT_NE(bert, nullptr);
  EXPECT_EQ(bert->matched_by, std::vector<std::string>({"named:BERT"}));

  // References that do not cite BERT's paper: the name is not that method.
  s.references = {"[1] T. Kipf and M. Welling. Semi-supervised classification with graph convolutional networks. 2017."};
  EXPECT_EQ(ById(Find(s), "fx-nlp-02"), nullptr);

  // References that cite it: listed, first, the reranker's estimate replaced by the fact.
  s.references.push_back("[2] J. Devlin et al. BERT: Pre-training of deep bidirectional transformers for "
                         "language understanding. NAACL 2019.");
  auto related = Find(s);
  bert = ById(related, "fx-nlp-02");
  ASSERT_NE(bert, nullptr);
  EXPECT_TRUE(bert->cited);
  EXPECT_DOUBLE_EQ(bert->score, 1.0);
  // Cited works come before the others.
  bool seen_uncited = false;
  for (const auto& w : related) {
    if (!w.cited) seen_uncited = true;
    EXPECT_FALSE(seen_uncited && w.cited) << w.id << " is cited but listed after an uncited work";
  }
}

TEST_F(RelatedFinderTest, ATitleAndAbstractAloneAreSearchedWithFeedbackFromTheFirstWorks) {
  feedback_works_ = 2;
  Submission s = GraphPaper();
  auto has_feedback = [](const std::vector<PriorWork>& works) {
    for (const auto& w : works)
      if (std::find(w.matched_by.begin(), w.matched_by.end(), "feedback") != w.matched_by.end()) return true;
    return false;
  };
  EXPECT_TRUE(has_feedback(Find(s)));
  // With a body the submission says enough itself: no feedback queries.
  s.introduction = "Graph neural networks pass messages between neighbouring nodes.";
  EXPECT_FALSE(has_feedback(Find(s)));
}

}  // namespace
}  // namespace novelta
