#include "alignment/prose_assessment.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>

#include "alignment/alignment.h"
#include "alignment/corpus_resolver.h"

namespace novelta::alignment {
namespace {

std::string TestData(const std::string& name) {
  return std::string(NOVELTA_SOURCE_DIR) + "/alignment/testdata/" + name;
}

std::string WriteTemp(const std::string& name, const std::string& contents) {
  std::string path = testing::TempDir() + "/prose_assessment_test_" + name;
  std::ofstream(path) << contents;
  return path;
}

std::string Line(const std::string& paper_id, const std::string& text) {
  return DumpJson(Json{{"paper_id", paper_id}, {"text", text}}) + "\n";
}

// Prose for the papers of testdata/reviews.jsonl; P1's references list holds
// [1] Steinke et al. 2023 and [2] Shokri et al. 2017.
std::string ProseFile() {
  return Line("P1",
              "The contribution is largely incremental over Steinke et al. (2023): the auditing "
              "scheme is the same and only the analysis of its limits is new.") +
         Line("P2",
              "This work is highly novel. Physically constrained attention for weather forecasting "
              "has not been explored before.") +
         Line("P3",
              "not novel: the same method was proposed in \"Deep Residual Learning for Image "
              "Recognition\".") +
         Line("P4", "The paper presents a benchmark of forty tasks and evaluates ten models on it.");
}

class ProseFixture : public testing::Test {
 protected:
  void SetUp() override {
    auto corpus = CorpusPriorWorkResolver::Load(TestData("corpus.jsonl"));
    ASSERT_TRUE(corpus.ok()) << corpus.status().ToString();
    corpus_ = std::move(*corpus);
    HumanLoadOptions options;
    options.resolver = corpus_.get();
    auto papers = LoadHumanPapers(TestData("reviews.jsonl"), options);
    ASSERT_TRUE(papers.ok()) << papers.status().ToString();
    papers_ = std::move(*papers);
  }

  std::unique_ptr<CorpusPriorWorkResolver> corpus_;
  std::vector<HumanPaper> papers_;
};

TEST_F(ProseFixture, ReadsConclusionsAndNamedWorksAsAReviewIs) {
  auto loaded = LoadAssessments(WriteTemp("prose.jsonl", ProseFile()));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  std::vector<Assessment>& a = *loaded;
  ASSERT_EQ(a.size(), 4u);
  EXPECT_STREQ(AssessmentInputName(a), "prose");
  EXPECT_EQ(a[0].kind, AssessmentKind::kProse);
  EXPECT_EQ(a[0].conclusion, ReviewConclusion::kIncremental);
  EXPECT_EQ(a[1].conclusion, ReviewConclusion::kNovel);
  EXPECT_EQ(a[2].conclusion, ReviewConclusion::kNotNovel);
  EXPECT_EQ(a[3].conclusion, ReviewConclusion::kNoOpinion);  // states no conclusion
  EXPECT_NE(a[0].origin.find("prose.jsonl:1"), std::string::npos);

  // Named works are found on loading; the author-year mention resolves only
  // with the paper's references list, as in a review.
  ASSERT_EQ(a[0].reading.statements.size(), 1u);
  ASSERT_EQ(a[0].reading.statements[0].named_works.size(), 1u);
  EXPECT_EQ(a[0].reading.statements[0].named_works[0].kind, NamedWork::Kind::kAuthorYear);
  EXPECT_EQ(a[0].reading.statements[0].named_works[0].surname, "Steinke");
  EXPECT_TRUE(a[0].cited_prior_ids.empty());
  ReadProseAssessments(papers_, corpus_.get(), &a);
  EXPECT_EQ(a[0].cited_prior_ids, std::vector<std::string>{"corpus:steinke2023"});
  EXPECT_EQ(a[2].cited_prior_ids, std::vector<std::string>{"corpus:he2016"});
  EXPECT_EQ(a[0].conclusion, ReviewConclusion::kIncremental);  // unchanged by the second reading
  // The reasoning compared is the novelty statements; the aspects are the reading's.
  EXPECT_EQ(a[0].reasoning, a[0].reading.statements[0].text);
  EXPECT_EQ(AssessmentAspects(a[0]), a[0].reading.aspects);
  EXPECT_TRUE(AssessmentAspects(a[3]).empty());
}

TEST_F(ProseFixture, ScoredAsReportsAreWithUnreadableConclusionsCounted) {
  auto loaded = LoadAssessments(WriteTemp("prose_scored.jsonl", ProseFile()));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ReadProseAssessments(papers_, corpus_.get(), &*loaded);
  AlignmentOptions options;
  options.bootstrap_resamples = 50;
  AlignmentResult r = ComputeAlignment(*loaded, papers_, options);
  EXPECT_EQ(r.input, "prose");
  EXPECT_EQ(r.counts.papers_matched, 4u);
  EXPECT_EQ(r.counts.assessments_no_conclusion_excluded, 1u);  // P4
  EXPECT_EQ(r.prose_reading.assessments, 4u);
  EXPECT_EQ(r.prose_reading.without_conclusion, 1u);
  EXPECT_EQ(r.prose_reading.named_works_resolved_to_corpus, 2u);
  // P1-P3 take part in conclusion agreement, P4 not: P1's three reviews,
  // P2's three (the one without a score reads not_novel from its text) and
  // P3's scored review (the other takes no side).
  EXPECT_EQ(r.conclusion.per_review.assessment.n_papers, 3u);
  EXPECT_EQ(r.conclusion.per_review.assessment.n_pairs, 7u);
  EXPECT_EQ(r.conclusion.per_paper.baseline_uniform_random.n_papers, 3u);
  // The ceiling is computed beside it, on the matched papers.
  EXPECT_GT(r.human_ceiling.conclusion_per_review.n_pairs, 0u);
  // P1's prose names Steinke (2023), which two of its three reviewers name too.
  EXPECT_GT(r.reasoning.prior_work_overlap.mean, 0.0);

  Json j = ToJson(r);
  EXPECT_EQ(j["input"], "prose");
  EXPECT_EQ(j["prose_reading"]["without_conclusion"], 1);
  EXPECT_EQ(j["prose_reading"]["conclusions"]["no_opinion"], 1);
  EXPECT_EQ(j["counts"]["assessments_no_conclusion_excluded"], 1);
  EXPECT_EQ(j["papers"][3]["assessment"]["conclusion"], "no_opinion");
  EXPECT_TRUE(j["conclusion"]["per_review"]["human_ceiling"]["accuracy"].is_number());
  EXPECT_EQ(j["papers"][0]["assessment"]["kind"], "prose");
  EXPECT_FALSE(j["papers"][0]["assessment"].contains("statements"));
  options.include_statements = true;
  Json with = ToJson(ComputeAlignment(*loaded, papers_, options));
  ASSERT_EQ(with["papers"][0]["assessment"]["statements"].size(), 1u);
  EXPECT_EQ(with["papers"][0]["assessment"]["statements"][0]["named_works"][0]["corpus_id"],
            "corpus:steinke2023");

  // Reports keep their document: input "reports", no prose block.
  auto reports = LoadAssessments(TestData("assessments.jsonl"));
  ASSERT_TRUE(reports.ok());
  Json jr = ToJson(ComputeAlignment(*reports, papers_, options));
  EXPECT_EQ(jr["input"], "reports");
  EXPECT_FALSE(jr.contains("prose_reading"));
  EXPECT_EQ(jr["counts"]["assessments_no_conclusion_excluded"], 0);
}

TEST_F(ProseFixture, ProseCopyingAReviewReadsAsThatReviewsText) {
  // The second review of P1, given as prose: the same statements, the text's
  // conclusion (not the score's) and the same resolved works.
  const std::string review =
      "SUMMARY:\nThe paper studies a problem.\n\nSTRENGTHS AND WEAKNESSES:\nTo my knowledge this is "
      "the first work to characterise the limits of one-run auditing. It clearly goes beyond "
      "Steinke et al. [1].\n\nQUESTIONS:\nNone.\n\nLIMITATIONS:\nYes";
  auto loaded = LoadAssessments(WriteTemp("copy.jsonl", Line("P1", review)));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ReadProseAssessments(papers_, corpus_.get(), &*loaded);
  const Assessment& a = (*loaded)[0];
  const ReviewReading& r = papers_[0].reviews[1];
  EXPECT_EQ(a.conclusion, r.text_conclusion);
  EXPECT_EQ(a.conclusion, ReviewConclusion::kNovel);
  EXPECT_EQ(a.reading.statements.size(), r.statements.size());
  EXPECT_EQ(a.cited_prior_ids, r.resolved_prior_ids);
  EXPECT_EQ(a.claim_aspects, r.aspects);
}

TEST(ProseInputs, ArrayAndGzipFormsReadTheSame) {
  auto array = LoadAssessments(WriteTemp(
      "prose_array.json",
      "[\n " + DumpJson(Json{{"paper_id", "A"}, {"text", "The idea is novel."}}) + ",\n " +
          DumpJson(Json{{"paper_id", "B"}, {"text", "The contribution is incremental."}}) + "\n]\n"));
  ASSERT_TRUE(array.ok()) << array.status().ToString();
  ASSERT_EQ(array->size(), 2u);
  EXPECT_EQ((*array)[1].conclusion, ReviewConclusion::kIncremental);
  EXPECT_EQ((*array)[1].origin.substr((*array)[1].origin.size() - 3), "[1]");

  const std::string gz = testing::TempDir() + "/prose_assessment_test_prose.jsonl.gz";
  const std::string data = Line("A", "The idea is not novel.");
  gzFile f = gzopen(gz.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, data.data(), static_cast<unsigned>(data.size())), static_cast<int>(data.size()));
  gzclose(f);
  auto zipped = LoadAssessments(gz);
  ASSERT_TRUE(zipped.ok()) << zipped.status().ToString();
  ASSERT_EQ(zipped->size(), 1u);
  EXPECT_EQ((*zipped)[0].conclusion, ReviewConclusion::kNotNovel);
}

TEST(ProseInputs, MixedFilesAreRefusedNamingTheLine) {
  const std::string simple = "{\"paper_id\":\"B\",\"conclusion\":\"novel\"}\n";
  auto prose_first = LoadAssessments(WriteTemp("mixed1.jsonl", Line("A", "The idea is novel.") + simple));
  ASSERT_FALSE(prose_first.ok());
  EXPECT_TRUE(prose_first.status().IsInvalidArgument());
  EXPECT_NE(prose_first.status().message().find("mixed1.jsonl:2"), std::string::npos)
      << prose_first.status().ToString();
  EXPECT_NE(prose_first.status().message().find("cannot be mixed"), std::string::npos);
  auto simple_first = LoadAssessments(WriteTemp("mixed2.jsonl", simple + "\n" + Line("A", "Novel.")));
  ASSERT_FALSE(simple_first.ok());
  EXPECT_NE(simple_first.status().message().find("mixed2.jsonl:3"), std::string::npos)
      << simple_first.status().ToString();
  EXPECT_NE(simple_first.status().message().find("prose record"), std::string::npos);
}

TEST(ProseInputs, BadRecordsAreRefusedNamingTheLine) {
  struct Case {
    std::string record;
    std::string expected;  // in the message, beside the line
  };
  const std::vector<Case> cases = {
      {"{\"paper_id\":\"B\"}", "not an assessment"},
      {"{\"paper_id\":\"B\",\"summary\":\"The idea is novel.\"}", "not an assessment"},
      {"{\"paper_id\":\"B\",\"text\":\"\"}", "'text' is empty"},
      {"{\"paper_id\":\"B\",\"text\":\"  \\n \"}", "'text' is empty"},
      {"{\"paper_id\":\"B\",\"text\":5}", "text"},
      {"{\"paper_id\":\"\",\"text\":\"Novel.\"}", "'paper_id' is empty"},
      {"{\"text\":\"The idea is novel.\"}", "paper_id"},
      {"{\"paper_id\":\"B\",\"text\":\"Novel.\",\"conclusion\":\"novel\"}", "both 'text'"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    auto r = LoadAssessments(WriteTemp("bad" + std::to_string(i) + ".jsonl",
                                       Line("A", "The idea is novel.") + cases[i].record + "\n"));
    ASSERT_FALSE(r.ok()) << cases[i].record;
    EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
    const std::string where = "bad" + std::to_string(i) + ".jsonl:2";
    EXPECT_NE(r.status().message().find(where), std::string::npos) << r.status().ToString();
    EXPECT_NE(r.status().message().find(cases[i].expected), std::string::npos) << r.status().ToString();
  }
  // The same paper twice is refused as for reports.
  auto twice = LoadAssessments(WriteTemp("prose_twice.jsonl", Line("A", "Novel.") + Line("A", "Novel.")));
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("twice"), std::string::npos);
}

}  // namespace
}  // namespace novelta::alignment
