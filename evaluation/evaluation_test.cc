#include "evaluation/evaluation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "index/test_index_util.h"
#include "pipeline/retrieve/related_reranker.h"

namespace novelta {
namespace {

const std::string kDataset = std::string(NOVELTA_SOURCE_DIR) + "/evaluation/testdata/dev.jsonl";

std::shared_ptr<const PaperIndex> FixtureIndex() {
  auto idx = PaperIndex::Open(testing::FixtureIndexDir());
  EXPECT_TRUE(idx.ok()) << idx.status().ToString();
  return std::shared_ptr<const PaperIndex>(std::move(idx).value());
}

TEST(EvaluationTest, EndToEndOnAFixtureDataset) {
  EvalOptions o;
  o.progress = false;
  o.top_k = 5;
  auto r = RunEvaluation(kDataset, FixtureIndex(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Json& m = r->metrics;
  EXPECT_EQ(m["n_papers"], 3);
  EXPECT_EQ(m["n_failed"], 1);  // the record without an abstract
  EXPECT_EQ(m["n_reviews"], 5);
  ASSERT_FALSE(m["first_errors"].empty());
  EXPECT_NE(m["first_errors"][0].get<std::string>().find("dev.jsonl:4"), std::string::npos);

  // Two papers have references that resolve to prior corpus papers.
  const Json& ret = m["retrieval"];
  EXPECT_EQ(ret["n_papers"], 2);
  for (const char* k : {"recall@10", "recall@20", "recall@50"}) {
    ASSERT_TRUE(ret[k].is_number()) << k;
    EXPECT_GE(ret[k].get<double>(), 0.0);
    EXPECT_LE(ret[k].get<double>(), 1.0);
    EXPECT_TRUE(ret["tfidf_baseline"][k].is_number());
    EXPECT_TRUE(ret["title_abstract"][k].is_number());
  }
  // The shipped reranker is in use unless turned off.
  EXPECT_EQ(ret["reranked"], true);
  // With 30 papers in the corpus, recall@50 finds every cited prior paper.
  EXPECT_DOUBLE_EQ(ret["recall@50"].get<double>(), 1.0);
  // ev-3 cites a 2023 paper but was submitted in 2024: it counts; the 2017 GCN
  // paper cited by ev-1 too. Both are found by the fixture's search.

  for (const char* k : {"agreement", "kappa", "human_agreement", "majority_class_agreement"})
    EXPECT_TRUE(m["conclusion"].contains(k)) << k;
  EXPECT_TRUE(m["conclusion"]["agreement"].is_number());
  EXPECT_GE(m["conclusion"]["agreement"].get<double>(), 0.0);
  EXPECT_TRUE(m["reasoning"]["prior_work_overlap"].is_number() || m["reasoning"]["prior_work_overlap"].is_null());
  EXPECT_GT(m["timing"]["seconds_per_paper"].get<double>(), 0.0);

  // The evidence's calibration table: reviewers of ev-1 and ev-3 name corpus
  // works, so their claims with evidence fall in the bands, and the bands add
  // up to the whole and to the headline check (confident anticipated claims).
  const Json& ev = m["evidence"];
  int band_claims = 0, band_named = 0, confident_anticipated = 0, confident_named = 0;
  for (const Json& band : ev["by_verdict_and_confidence"]) {
    band_claims += band["claims"].get<int>();
    band_named += band["with_reviewer_named_evidence"].get<int>();
    EXPECT_LE(band["with_reviewer_named_evidence"].get<int>(), band["claims"].get<int>());
    if (band["verdict"] == "anticipated" && band["confidence"] == "> 0.8") {
      confident_anticipated = band["claims"];
      confident_named = band["with_reviewer_named_evidence"];
    }
  }
  EXPECT_GT(band_claims, 0) << ev.dump();
  EXPECT_GT(confident_anticipated, 0) << ev.dump();
  EXPECT_GT(band_named, 0) << ev.dump();  // the works the fixture's reviewers name are quoted
  EXPECT_EQ(band_claims, ev["any_claim_with_evidence"]["claims"].get<int>());
  EXPECT_EQ(band_named, ev["any_claim_with_evidence"]["with_reviewer_named_evidence"].get<int>());
  EXPECT_EQ(confident_anticipated, ev["in_papers_where_reviewers_named_works"].get<int>());
  EXPECT_EQ(confident_named, ev["with_reviewer_named_evidence"].get<int>());
  // The trust block counts the same claims, and its shares are shares.
  const Json& trust = m["trust"];
  EXPECT_EQ(trust["claims"], m["claims"]["n_claims"]);
  EXPECT_EQ(trust["papers"], m["n_papers"]);
  EXPECT_EQ(trust["boilerplate_claims"], 0) << trust.dump();
  EXPECT_GE(trust["evidence_quotes"].get<int>(), trust["claims_with_evidence"].get<int>());
  EXPECT_LE(trust["evidence_quotes_from_cited_works"].get<int>(),
            trust["evidence_quotes_in_papers_with_references"].get<int>());
  EXPECT_TRUE(m["alignment"].is_object());
  EXPECT_NE(r->html.find("<svg"), std::string::npos);
  EXPECT_NE(r->html.find("Recall@20"), std::string::npos);
  // The confident band's row in the page shows the count the metrics hold.
  EXPECT_NE(r->html.find("anticipated &gt; 0.8 (n=" + std::to_string(confident_anticipated) + ")"),
            std::string::npos);
  EXPECT_EQ(r->html.find("<script"), std::string::npos);

  auto dir = std::filesystem::temp_directory_path() / ("novelta_eval_" + std::to_string(::getpid()));
  ASSERT_TRUE(WriteEvaluation(*r, dir.string()).ok());
  EXPECT_TRUE(std::filesystem::exists(dir / "metrics.json"));
  EXPECT_TRUE(std::filesystem::exists(dir / "report.html"));
  EXPECT_EQ(std::count(r->papers_jsonl.begin(), r->papers_jsonl.end(), '\n'), 3);
  std::filesystem::remove_all(dir);

  // Each paper's row gives every claim's confidence and, per quoted work, its
  // rank in the related work and whether a reviewer named it.
  int rows_with_named = 0, evidence_named = 0;
  std::istringstream rows(r->papers_jsonl);
  for (std::string line; std::getline(rows, line);) {
    const Json row = Json::parse(line);
    rows_with_named += row["reviewers_named_works"].get<bool>();
    for (const Json& claim : row["claims"]) {
      EXPECT_GE(claim["confidence"].get<double>(), 0.5);
      EXPECT_LE(claim["confidence"].get<double>(), 1.0);
      for (const Json& e : claim["evidence"]) {
        EXPECT_LT(e["related_rank"].get<size_t>(), row["related_scores"].size());
        evidence_named += e["reviewer_named"].get<bool>();
      }
    }
  }
  EXPECT_EQ(rows_with_named, 2);  // ev-1 and ev-3
  EXPECT_GE(evidence_named, band_named);
}

// The reranker's training data: every paper with cited prior work in the
// corpus gives its whole pool with features and labels, and a model trains on it.
TEST(EvaluationTest, CandidatesAreTheRerankersTrainingData) {
  EvalOptions o;
  o.progress = false;
  o.top_k = 5;
  o.assessor.retrieve.rerank_model = "none";
  o.assessor.retrieve.record_rerank_features = true;
  o.assessor.retrieve.max_related = 30;
  auto r = RunEvaluation(kDataset, FixtureIndex(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<Json> lines;
  size_t start = 0;
  for (size_t end; (end = r->candidates_jsonl.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(Json::parse(r->candidates_jsonl.substr(start, end - start)));
  ASSERT_EQ(lines.size(), 2u);  // the two papers whose references resolve
  int cited = 0;
  for (const auto& line : lines) {
    EXPECT_GT(line["n_gold"].get<int>(), 0);
    ASSERT_FALSE(line["works"].empty());
    for (const auto& w : line["works"]) {
      EXPECT_EQ(w["features"].size(), RerankFeatureNames().size());
      cited += w["cited"].get<bool>();
    }
  }
  EXPECT_GT(cited, 0);

  auto dir = std::filesystem::temp_directory_path() / ("novelta_eval_cand_" + std::to_string(::getpid()));
  ASSERT_TRUE(WriteEvaluation(*r, dir.string()).ok());
  ASSERT_TRUE(std::filesystem::exists(dir / "candidates.jsonl"));
  auto manifest = TrainRerankerModel((dir / "candidates.jsonl").string(), (dir / "model").string(), {});
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
  EXPECT_EQ((*manifest)["scores"]["submissions"].get<int>(), 2);
  std::filesystem::remove_all(dir);
}

TEST(EvaluationTest, LimitSamplesDeterministicallyAndBadDatasetFails) {
  EvalOptions o;
  o.progress = false;
  o.limit = 2;
  o.seed = 7;
  auto a = RunEvaluation(kDataset, FixtureIndex(), o);
  auto b = RunEvaluation(kDataset, FixtureIndex(), o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->metrics["n_papers"].get<int>() + a->metrics["n_failed"].get<int>(), 2);
  EXPECT_EQ(a->metrics["conclusion"], b->metrics["conclusion"]);
  EXPECT_TRUE(RunEvaluation("/nonexistent.jsonl", FixtureIndex(), o).status().IsNotFound());
}

}  // namespace
}  // namespace novelta
