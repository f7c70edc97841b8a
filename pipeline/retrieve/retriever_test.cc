#include "pipeline/retrieve/retriever.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "index/test_index_util.h"

namespace novelta {
namespace {

class RetrieverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto idx = PaperIndex::Open(testing::FixtureIndexDir());
    ASSERT_TRUE(idx.ok()) << idx.status().ToString();
    index_ = std::move(idx).value();
  }
  std::vector<std::string> Ids(const std::vector<PriorWork>& works) {
    std::vector<std::string> ids;
    for (const auto& w : works) ids.push_back(w.id);
    return ids;
  }
  std::unique_ptr<PaperIndex> index_;
};

TEST_F(RetrieverTest, RespectsTheCutoffAndRanksClosestFirst) {
  Retriever r(index_.get());
  RetrievalRequest opts;
  opts.top_k = 5;
  opts.cutoff = *Date::Parse("2021-05-15");
  auto works = r.Retrieve({{"paper", "diffusion models for image synthesis with guidance"}}, opts);
  ASSERT_TRUE(works.ok());
  ASSERT_FALSE(works->empty());
  for (const auto& w : *works) EXPECT_LT(w.year, 2021) << w.id;  // 2021 papers are not prior
  EXPECT_EQ((*works)[0].id, "fx-dif-01");
  for (size_t i = 1; i < works->size(); ++i) EXPECT_GE((*works)[i - 1].score, (*works)[i].score);
  EXPECT_FALSE((*works)[0].abstract.empty());
}

TEST_F(RetrieverTest, RowQueriesBringTheirPapersInUnderTheCutoff) {
  // The fixture corpus's BERT paper coins the name "BERT".
  auto named = index_->names().Find("We fine-tune BERT on the task.");
  ASSERT_EQ(named.size(), 1u);
  ASSERT_EQ(named[0].rows.size(), 1u);
  const int64_t bert = named[0].rows[0];
  EXPECT_EQ(NameIndex::CoinedName(index_->title(bert)), "BERT");
  Retriever r(index_.get());
  RetrievalRequest opts;
  opts.top_k = 3;
  // A text query about something else does not find it; the row query does,
  // first, with its tag.
  auto works = r.Retrieve({{"paper", "policy gradient reinforcement learning clipped objective"},
                           {"named:BERT", "", 1.0f, {bert}}},
                          opts);
  ASSERT_TRUE(works.ok()) << works.status().ToString();
  auto it = std::find_if(works->begin(), works->end(), [&](const PriorWork& w) { return w.row == bert; });
  ASSERT_NE(it, works->end());
  EXPECT_EQ(it->matched_by, std::vector<std::string>({"named:BERT"}));
  // Rows after the cutoff or out of range are dropped, never returned.
  opts.cutoff = *Date::Parse("2018-01-01");
  works = r.Retrieve({{"named:BERT", "", 1.0f, {bert, -1, 1000000}}}, opts);
  ASSERT_TRUE(works.ok());
  EXPECT_TRUE(works->empty());
}

TEST_F(RetrieverTest, NeverReturnsTheSubmissionItself) {
  Retriever r(index_.get());
  RetrievalRequest opts;
  opts.top_k = 5;
  opts.exclude_title = "Denoising diffusion probabilistic models.";
  auto works = r.Retrieve({{"paper", "Denoising Diffusion Probabilistic Models"}}, opts);
  ASSERT_TRUE(works.ok());
  auto ids = Ids(*works);
  EXPECT_EQ(std::find(ids.begin(), ids.end(), "fx-dif-01"), ids.end());
}

TEST_F(RetrieverTest, MergesQueriesAndRecordsWhichFoundEachPaper) {
  Retriever r(index_.get());
  RetrievalRequest opts;
  opts.top_k = 2;
  auto works = r.Retrieve({{"paper", "graph neural networks node classification"},
                           {"c1", "policy gradient reinforcement learning clipped objective"}},
                          opts);
  ASSERT_TRUE(works.ok());
  EXPECT_EQ(works->size(), 4u);  // 2 per query, no overlap
  bool graph = false, rl = false;
  for (const auto& w : *works) {
    ASSERT_EQ(w.matched_by.size(), 1u);
    if (w.matched_by[0] == "paper") graph |= w.id.rfind("fx-gnn", 0) == 0;
    if (w.matched_by[0] == "c1") rl |= w.id.rfind("fx-rl", 0) == 0;
  }
  EXPECT_TRUE(graph);
  EXPECT_TRUE(rl);
}

TEST_F(RetrieverTest, RecordsWhatEachKindOfQuerySawOfAPaper) {
  Retriever r(index_.get());
  RetrievalRequest opts;
  opts.top_k = 3;
  RetrievalQuery claim{"c1", "policy gradient reinforcement learning clipped objective", 0.5f};
  claim.kind = QueryKind::kClaim;
  auto works = r.Retrieve({{"paper", "graph neural networks node classification"}, claim}, opts);
  ASSERT_TRUE(works.ok());
  ASSERT_FALSE(works->empty());
  for (size_t i = 0; i < works->size(); ++i) {
    const PriorWork& w = (*works)[i];
    const RetrievalSignals& s = w.detail->signals;
    EXPECT_EQ(s.merged_rank, static_cast<int>(i));
    EXPECT_GE(s.queries, 1);
    EXPECT_GE(s.best_rank, 0);
    EXPECT_LT(s.best_rank, opts.top_k);
    const float paper = s.by_kind[static_cast<int>(QueryKind::kPaper)];
    const float by_claim = s.by_kind[static_cast<int>(QueryKind::kClaim)];
    // The kinds' scores add up to the merged score.
    EXPECT_NEAR(paper + by_claim, w.score, 1e-5) << w.id;
    if (w.matched_by == std::vector<std::string>{"paper"}) {
      EXPECT_GT(paper, 0) << w.id;
      EXPECT_EQ(by_claim, 0) << w.id;
      // Found by the whole-paper query: its rank in one of its two rankings is known.
      EXPECT_TRUE(s.paper_lexical_rank >= 0 || s.paper_dense_rank >= 0) << w.id;
    }
    if (w.matched_by == std::vector<std::string>{"c1"}) {
      EXPECT_GT(by_claim, 0) << w.id;
      EXPECT_EQ(paper, 0) << w.id;
    }
  }
}

TEST_F(RetrieverTest, PapersReadLaterAreThePapersReadAtOnce) {
  Retriever r(index_.get());
  RetrievalRequest opts;
  opts.top_k = 4;
  const std::vector<RetrievalQuery> queries = {{"paper", "graph neural networks node classification"}};
  auto read = r.Retrieve(queries, opts);
  opts.read_papers = false;
  auto light = r.Retrieve(queries, opts);
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(light.ok());
  ASSERT_EQ(read->size(), light->size());
  for (size_t i = 0; i < light->size(); ++i) {
    const PriorWork &a = (*read)[i], &b = (*light)[i];
    // What the index holds in memory is there without a store read.
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.title, b.title);
    EXPECT_EQ(a.year, b.year);
    EXPECT_EQ(a.venue, b.venue);
    EXPECT_FALSE(a.venue.empty());
    EXPECT_FALSE(a.abstract.empty());
    EXPECT_TRUE(b.abstract.empty());
    EXPECT_TRUE(b.detail->passages.empty());
  }
  ASSERT_TRUE(r.ReadPapers(&*light).ok());
  for (size_t i = 0; i < light->size(); ++i) {
    EXPECT_EQ((*read)[i].abstract, (*light)[i].abstract);
    EXPECT_EQ((*read)[i].detail->passages.size(), (*light)[i].detail->passages.size());
    EXPECT_EQ((*read)[i].detail->passage_pieces, (*light)[i].detail->passage_pieces);
  }
}

TEST_F(RetrieverTest, AQueryThatSkipsTheDenseIndexRanksByTheWordIndexAlone) {
  Retriever r(index_.get());
  RetrievalRequest opts;
  opts.top_k = 4;
  opts.max_results = 4;
  const std::string text = "graph neural networks node classification attention";
  RetrievalQuery lexical{"paper", text, 1.0f};
  lexical.dense = false;
  auto works = r.Retrieve({lexical}, opts);
  ASSERT_TRUE(works.ok()) << works.status().ToString();
  auto sparse = index_->sparse_index();
  ASSERT_TRUE(sparse.ok());
  const auto bm25 = (*sparse)->Search(text, 4, SparseScoring::kBm25);
  ASSERT_EQ(works->size(), bm25.size());
  for (size_t i = 0; i < bm25.size(); ++i) {
    EXPECT_EQ((*works)[i].row, bm25[i].row) << i;
    // Alone in the fusion, the word ranking carries the whole weight: rank 1 scores 1.
    if (i == 0) EXPECT_FLOAT_EQ((*works)[i].score, 1.0f);
  }
  // Without hybrid retrieval the flag is moot: the dense index is searched.
  RetrievalOptions dense_only;
  dense_only.hybrid = false;
  auto dense = Retriever(index_.get(), dense_only).Retrieve({lexical}, opts);
  ASSERT_TRUE(dense.ok());
  EXPECT_FALSE(dense->empty());
}

TEST_F(RetrieverTest, CutoffThatExcludesMostPapersStillFillsTopK) {
  Retriever r(index_.get());
  RetrievalRequest opts;
  opts.top_k = 3;
  opts.cutoff = Date::Year(2016);  // only 2015 papers (Adam) qualify... and nothing else
  auto works = r.Retrieve({{"paper", "graph attention networks"}}, opts);
  ASSERT_TRUE(works.ok());
  ASSERT_EQ(works->size(), 1u);
  EXPECT_EQ((*works)[0].id, "fx-opt-01");
}

TEST_F(RetrieverTest, MarksCitedWorksFromReferences) {
  Retriever r(index_.get());
  RetrievalRequest opts;
  opts.top_k = 5;
  opts.cited_rows = r.ResolveReferences(
      {"[1] M. Abadi et al. Deep learning with differential privacy. In CCS, 2016.",
       "[2] Nobody. A paper that is not in the corpus at all. 2020."});
  ASSERT_EQ(opts.cited_rows.size(), 1u);
  auto works = r.Retrieve({{"paper", "differential privacy auditing membership inference"}}, opts);
  ASSERT_TRUE(works.ok());
  int cited = 0;
  for (const auto& w : *works) {
    if (w.cited) {
      ++cited;
      EXPECT_EQ(w.id, "fx-dp-01");
    }
  }
  EXPECT_EQ(cited, 1);
}

}  // namespace
}  // namespace novelta
