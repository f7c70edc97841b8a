// The `novelta` binary end to end: index build, assess in every format, and
// clear errors with the documented exit statuses for bad input.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "base/json.h"
#include "pipeline/ingest/ingest.h"
#include "llm/fake_llm_server.h"
#include "tests/pdf_bytes.h"

namespace novelta {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  int status;
  std::string out;
  std::string err;
};

CliRun Novelta(const std::string& args) {
  static int n = 0;
  fs::path err_file = fs::temp_directory_path() / ("novelta_cli_err_" + std::to_string(::getpid()) +
                                                   "_" + std::to_string(n++));
  std::string cmd = std::string(NOVELTA_BINARY) + " " + args + " 2>" + err_file.string();
  FILE* p = ::popen(cmd.c_str(), "r");
  CliRun r;
  char buf[4096];
  size_t k;
  while ((k = std::fread(buf, 1, sizeof(buf), p)) > 0) r.out.append(buf, k);
  int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::ifstream e(err_file);
  r.err.assign(std::istreambuf_iterator<char>(e), {});
  fs::remove(err_file);
  return r;
}

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("novelta_cli_" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    CliRun r = Novelta("index build --quiet --dimensions 24 --vocab-size 400 --corpus " +
                    std::string(NOVELTA_SOURCE_DIR) + "/corpora/fixtures/tiny-corpus.jsonl --out " +
                    Index());
    ASSERT_EQ(r.status, 0) << r.err;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static std::string Index() { return (*dir_ / "index").string(); }
  static std::string Write(const std::string& name, const std::string& content) {
    fs::path p = *dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  static fs::path* dir_;
};
fs::path* CliTest::dir_ = nullptr;

const char* kPaper =
    R"({"id": "p1", "title": "Pairwise Normalization Against Oversmoothing", "submitted": "2021-06-01",)"
    R"( "abstract": "Deep graph neural networks lose accuracy as they grow deeper. We propose a )"
    R"(normalization layer that keeps pairwise distances between node features constant across )"
    R"(layers. We show that it improves node classification accuracy on citation networks."})";

TEST_F(CliTest, AssessOneJsonSubmission) {
  CliRun r = Novelta("assess " + Write("p1.json", kPaper) + " --index " + Index());
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = ParseJson(r.out, "stdout");
  ASSERT_TRUE(j.ok()) << r.out;
  EXPECT_EQ((*j)["submission"]["id"], "p1");
  EXPECT_EQ((*j)["cutoff"], "2021-06-01");
  EXPECT_FALSE((*j)["claims"].empty());
  EXPECT_FALSE((*j)["related_work"].empty());
  for (const char* key : {"conclusion", "novelty_score", "reasoning"}) EXPECT_TRUE(j->contains(key));
  const Json& c = (*j)["claims"][0];
  for (const char* key : {"id", "text", "type", "span", "verdict", "confidence", "evidence"})
    EXPECT_TRUE(c.contains(key)) << key;
}

TEST_F(CliTest, BatchWithABadLineReportsItAndAssessesTheRest) {
  std::string batch = std::string(kPaper) + "\n{not json\n" +
                      R"({"id": "p3", "title": "Diffusion", "abstract": "We propose a diffusion model for images."})" + "\n";
  CliRun r = Novelta("assess " + Write("batch.jsonl", batch) + " --index " + Index() + " --top-k 5");
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("batch.jsonl:2"), std::string::npos) << r.err;
  int lines = 0;
  size_t pos = 0, next;
  while ((next = r.out.find('\n', pos)) != std::string::npos) {
    ASSERT_TRUE(ParseJson(r.out.substr(pos, next - pos), "line").ok());
    ++lines;
    pos = next + 1;
  }
  EXPECT_EQ(lines, 2);
}

// --format html is the page the service serves; several submissions write one file each.
TEST_F(CliTest, HtmlPagesOnStdoutOrOneFilePerSubmission) {
  CliRun one = Novelta("assess " + Write("p1.json", kPaper) + " --index " + Index() + " --format html");
  ASSERT_EQ(one.status, 0) << one.err;
  EXPECT_EQ(one.out.rfind("<!DOCTYPE html>", 0), 0u) << one.out.substr(0, 200);
  EXPECT_NE(one.out.find("Pairwise Normalization Against Oversmoothing"), std::string::npos);
  EXPECT_NE(one.out.find("</html>"), std::string::npos);
  std::string batch = std::string(kPaper) + "\n" +
                      R"({"id": "p/3", "title": "Diffusion", "abstract": "We propose a diffusion model for images."})" +
                      "\n";
  std::string file = Write("two.jsonl", batch);
  CliRun refused = Novelta("assess " + file + " --index " + Index() + " --format html");
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("--out-dir"), std::string::npos) << refused.err;
  fs::path out = *dir_ / "pages";
  CliRun pages = Novelta("assess " + file + " --index " + Index() + " --format html --out-dir " + out.string());
  ASSERT_EQ(pages.status, 0) << pages.err;
  EXPECT_TRUE(pages.out.empty());
  ASSERT_TRUE(fs::exists(out / "0001-p1.html"));
  ASSERT_TRUE(fs::exists(out / "0002-p_3.html"));  // the id's '/' cannot reach the path
  std::ifstream second(out / "0002-p_3.html");
  std::string page((std::istreambuf_iterator<char>(second)), {});
  EXPECT_NE(page.find("Diffusion"), std::string::npos);
}

TEST_F(CliTest, MarkdownOutputAndCutoffFlag) {
  CliRun r = Novelta("assess " + Write("p1.json", kPaper) + " --index " + Index() +
                  " --format markdown --cutoff 2019-01-01");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("# "), std::string::npos);
  EXPECT_NE(r.out.find("Pairwise Normalization Against Oversmoothing"), std::string::npos);
  EXPECT_EQ(r.out.find("(2020"), std::string::npos) << "a 2020 paper passed a 2019 cutoff";
}

TEST_F(CliTest, BadInputsGiveAOneLineErrorNamingTheFile) {
  const std::string pdf_head = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog";
  struct Case {
    std::string name, content, expect;
  } cases[] = {
      {"empty.json", "", "empty.json"},
      {"garbage.txt", std::string("\x01\x02\xff\xfe\x00\x13\x07", 7) + std::string(200, '\x01'), "garbage.txt"},
      {"truncated.pdf", pdf_head, "truncated.pdf"},
      {"malformed.json", "{\"title\": \"x\", \"abstract\": ", "malformed.json"},
      {"noabstract.json", "{\"title\": \"Only a title\"}", "abstract"},
  };
  for (const auto& c : cases) {
    CliRun r = Novelta("assess " + Write(c.name, c.content) + " --index " + Index());
    EXPECT_EQ(r.status, 1) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find("novelta assess: "), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << c.name;
  }
}

// A PDF that takes too long is cut off at --pdf-seconds with a one-line
// error, in the child process that reads it; the other files are assessed.
TEST_F(CliTest, APdfBombIsCutOffAtItsTimeLimit) {
  const std::string bomb = Write("bomb.pdf", testing::BombPdf(size_t{256} << 20));
  const auto start = std::chrono::steady_clock::now();
  CliRun r = Novelta("assess " + bomb + " " + Write("p1.json", kPaper) + " --index " + Index() + " --pdf-seconds 0.5");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("bomb.pdf: not a readable PDF (reading it took over 0.5 s"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("\"claims\""), std::string::npos);
}

TEST_F(CliTest, UsageErrorsAndHelp) {
  EXPECT_EQ(Novelta("--help").status, 0);
  EXPECT_EQ(Novelta("assess --help").status, 0);
  EXPECT_EQ(Novelta("index build --help").status, 0);
  EXPECT_EQ(Novelta("assess").status, 2);
  CliRun bad_cutoff = Novelta("assess " + Write("p1.json", kPaper) + " --index " + Index() + " --cutoff 05/2021");
  EXPECT_EQ(bad_cutoff.status, 2);
  EXPECT_NE(bad_cutoff.err.find("cutoff"), std::string::npos);
  CliRun no_index = Novelta("assess " + Write("p1.json", kPaper) + " --index /nonexistent/index");
  EXPECT_EQ(no_index.status, 1);
  EXPECT_NE(no_index.err.find("/nonexistent/index"), std::string::npos);
  CliRun bad_corpus = Novelta("index build --quiet --corpus " + Write("bad.jsonl", "nope\n") + " --out " +
                           (*dir_ / "idx2").string());
  EXPECT_EQ(bad_corpus.status, 1);
  EXPECT_NE(bad_corpus.err.find("no valid papers"), std::string::npos) << bad_corpus.err;
}

TEST_F(CliTest, TrainRerankerRejectsBadCandidatesClearly) {
  CliRun bad = Novelta("train-reranker --candidates " + Write("cand.jsonl", "{\"works\": 1}\n") +
                       " --out " + (*dir_ / "rerank").string());
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("novelta train-reranker: "), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("cand.jsonl:1"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(*dir_ / "rerank" / "reranker.json"));
  CliRun missing = Novelta("train-reranker --candidates /nonexistent.jsonl --out " + (*dir_ / "rerank").string());
  EXPECT_EQ(missing.status, 2);  // a usage error: the file must exist
}

TEST_F(CliTest, TrustScoresReportsOfWithheldSubmissions) {
  const std::string dataset = std::string(NOVELTA_SOURCE_DIR) + "/evaluation/testdata/dev.jsonl";
  const std::string withheld = (*dir_ / "withheld.jsonl").string();
  CliRun w = Novelta("trust --dataset " + dataset + " --write-withheld " + withheld);
  ASSERT_EQ(w.status, 0) << w.err;
  EXPECT_NE(w.err.find("3 submissions"), std::string::npos) << w.err;
  CliRun assessed = Novelta("assess " + withheld + " --index " + Index() + " --format json");
  ASSERT_EQ(assessed.status, 0) << assessed.err;
  const std::string reports = Write("reports.jsonl", assessed.out);
  CliRun t = Novelta("trust --dataset " + dataset + " --index " + Index() + " --reports " + reports);
  ASSERT_EQ(t.status, 0) << t.err;
  auto block = nlohmann::json::parse(t.out);
  EXPECT_EQ(block["papers"], 3);
  EXPECT_GT(block["claims"].get<int>(), 0);
  EXPECT_EQ(Novelta("trust --dataset " + dataset).status, 2);  // neither --reports nor --write-withheld
  CliRun bad = Novelta("trust --dataset " + dataset + " --index " + Index() + " --reports " +
                       Write("bad-reports.jsonl", "not json\n"));
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("bad-reports.jsonl:1"), std::string::npos) << bad.err;
}

// `novelta pdf-text` as IngestLimits::pdf_reader: the same text as reading in
// process, the same errors, and its own time limit.
TEST_F(CliTest, PdfTextChildReadsWhatTheProcessReads) {
  IngestLimits child;
  child.pdf_reader = {NOVELTA_BINARY, "pdf-text"};
  const std::string content = "BT /F1 12 Tf 72 720 Td (Sparse attention for long inputs) Tj ET";
  const std::string pdf = testing::AssemblePdf(
      {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
       "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
       "/Contents 5 0 R >>",
       "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
       "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream"});
  auto here = ReadPdfText(pdf, "paper.pdf", IngestLimits());
  auto there = ReadPdfText(pdf, "paper.pdf", child);
  ASSERT_TRUE(here.ok()) << here.status().ToString();
  ASSERT_TRUE(there.ok()) << there.status().ToString();
  EXPECT_EQ(there->text, here->text);
  EXPECT_NE(there->text.find("Sparse attention"), std::string::npos);
  const std::string damaged = pdf.substr(0, 40);
  auto bad_here = ReadPdfText(damaged, "paper.pdf", IngestLimits());
  auto bad_there = ReadPdfText(damaged, "paper.pdf", child);
  EXPECT_EQ(bad_there.status().ToString(), bad_here.status().ToString());
  child.max_pdf_seconds = 0.5;
  auto start = std::chrono::steady_clock::now();
  auto bomb = ReadPdfText(testing::BombPdf(size_t{256} << 20), "bomb.pdf", child);
  EXPECT_TRUE(bomb.status().IsInvalidArgument());
  EXPECT_NE(bomb.status().message().find("bomb.pdf: not a readable PDF (reading it took over 0.5 s"),
            std::string::npos)
      << bomb.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// `novelta align` on another system's prose assessments of four dev-set
// papers: read as reviews are, scored beside the reviewers, the one without a
// conclusion counted; a file mixing prose with reports is refused.
TEST_F(CliTest, AlignReadsProseAssessmentsOfDevPapers) {
  const std::string data = NOVELTA_SHARED_DATA_DIR;
  const std::string reviews = data + "/eval/neurips2025-dev.jsonl.gz";
  const std::string corpus = data + "/corpus/prior-work.jsonl.gz";
  if (!fs::exists(reviews) || !fs::exists(corpus)) GTEST_SKIP() << "shared dev set not available";
  auto line = [](const char* id, const char* text) {
    return DumpJson(nlohmann::json{{"paper_id", id}, {"text", text}}) + "\n";
  };
  const std::string prose = Write(
      "prose.jsonl",
      line("004uTlSufe", "The contribution is largely incremental over Steinke et al. (2023): one-run "
                         "auditing is theirs, and the paper characterises its limits.") +
          line("00Bwl1woOJ", "This work is highly novel: uncertainty-aware privileged learning has not "
                             "been explored before.") +
          line("00oRAPDWsX", "not novel: the same method was proposed in earlier work on adaptive KL "
                             "control.") +
          line("02qdHz1LU0", "The paper presents experiments on nine tasks."));
  const std::string out = (*dir_ / "align-prose").string();
  CliRun r = Novelta("align --assessments " + prose + " --reviews " + reviews + " --corpus " + corpus +
                     " --out " + out + " --bootstrap 50");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("prose assessments: 4 read, 1 without a readable conclusion"), std::string::npos)
      << r.out;
  std::ifstream f(out + "/alignment.json");
  auto j = nlohmann::json::parse(f);
  EXPECT_EQ(j["input"], "prose");
  EXPECT_EQ(j["counts"]["papers_matched"], 4);
  EXPECT_EQ(j["counts"]["assessments_no_conclusion_excluded"], 1);
  EXPECT_EQ(j["prose_reading"]["without_conclusion"], 1);
  EXPECT_EQ(j["conclusion"]["per_review"]["assessment"]["n_papers"], 3);
  EXPECT_TRUE(j["conclusion"]["per_review"]["human_ceiling"]["accuracy"].is_number());
  EXPECT_EQ(j["papers"][0]["assessment"]["conclusion"], "incremental");
  EXPECT_EQ(j["papers"][1]["assessment"]["conclusion"], "novel");
  EXPECT_EQ(j["papers"][2]["assessment"]["conclusion"], "not_novel");
  EXPECT_EQ(j["papers"][3]["assessment"]["conclusion"], "no_opinion");
  // "Steinke et al. (2023)" resolves through the paper's references list, as
  // the same mention in its reviews does.
  EXPECT_EQ(j["prose_reading"]["named_works"]["resolved_to_corpus"], 1);
  EXPECT_EQ(j["papers"][0]["assessment"]["n_cited_prior_ids"], 1);

  CliRun mixed = Novelta("align --assessments " +
                         Write("mixed.jsonl", line("004uTlSufe", "Novel.") +
                                                  "{\"paper_id\": \"00Bwl1woOJ\", \"conclusion\": \"novel\"}\n") +
                         " --reviews " + reviews + " --out " + out);
  EXPECT_EQ(mixed.status, 1);
  EXPECT_NE(mixed.err.find("mixed.jsonl:2"), std::string::npos) << mixed.err;
  EXPECT_NE(mixed.err.find("cannot be mixed"), std::string::npos) << mixed.err;
  CliRun empty = Novelta("align --assessments " + Write("empty-text.jsonl", line("004uTlSufe", "")) +
                         " --reviews " + reviews + " --out " + out);
  EXPECT_EQ(empty.status, 1);
  EXPECT_NE(empty.err.find("empty-text.jsonl:1: 'text' is empty"), std::string::npos) << empty.err;
  CliRun help = Novelta("align --help");
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("prose"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace novelta

namespace novelta {
namespace {

// `novelta assess --engine llm` against a scripted OpenAI-compatible server on
// loopback: the claims are the model's, the comparison falls back to the
// offline engine when the server fails, and the key is sent but never shown.
TEST_F(CliTest, AssessWithTheLlmEngineSendsTheKeyAndFallsBackWhenTheServerFails) {
  FakeLlmServer server;
  server.Push(FakeLlmServer::Chat(Json::parse(R"json({
    "methods": ["pairwise normalization"], "problems": ["oversmoothing"], "datasets": [], "metrics": [],
    "results": [], "claims": [{"quote": "We propose a normalization layer that keeps pairwise distances between node features constant across layers.",
                               "type": "method", "summary": "a distance-preserving normalization"}]})json")));
  server.SetFallback({503, {{"Retry-After", "0"}}, "overloaded"});
  const std::string key = "sk-test-SECRET-4711";
  CliRun r = Novelta("assess " + Write("llm.json", kPaper) + " --index " + Index() + " --engine llm --llm-url " +
                     server.url() + " --llm-model fake-model --llm-cache none");
  // Without the key in the environment no Authorization header is sent; now with it.
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(server.requests().at(0).headers.count("authorization"), 0u);
  server.Push(FakeLlmServer::Chat(Json::parse(R"json({
    "methods": [], "problems": [], "datasets": [], "metrics": [], "results": [],
    "claims": [{"quote": "We propose a normalization layer that keeps pairwise distances between node features constant across layers.",
                "type": "method", "summary": "x"}]})json")));
  const int before = server.request_count();
  ::setenv("NOVELTA_LLM_API_KEY", key.c_str(), 1);
  CliRun keyed = Novelta("assess " + Write("llm.json", kPaper) + " --index " + Index() + " --engine llm --llm-url " +
                         server.url() + " --llm-model fake-model --llm-cache none");
  ::unsetenv("NOVELTA_LLM_API_KEY");
  ASSERT_EQ(keyed.status, 0) << keyed.err;
  auto j = ParseJson(keyed.out, "stdout");
  ASSERT_TRUE(j.ok()) << keyed.out;
  EXPECT_EQ((*j)["engine"]["name"], "llm");
  EXPECT_EQ((*j)["engine"]["claims_by"], "llm");
  EXPECT_EQ((*j)["engine"]["comparison_by"], "offline");
  ASSERT_EQ((*j)["claims"].size(), 1u);
  EXPECT_EQ((*j)["claims"][0]["span"]["field"], "abstract");
  bool sent_key = false;
  for (const auto& req : server.requests()) sent_key |= req.headers.count("authorization") &&
                                                         req.headers.at("authorization") == "Bearer " + key;
  EXPECT_TRUE(sent_key);
  EXPECT_GT(server.request_count(), before);
  EXPECT_EQ(keyed.out.find(key), std::string::npos);
  EXPECT_EQ(keyed.err.find(key), std::string::npos);
  CliRun bad = Novelta("assess " + Write("llm.json", kPaper) + " --index " + Index() + " --engine gpt");
  EXPECT_EQ(bad.status, 2) << bad.err;
  CliRun missing = Novelta("assess " + Write("llm.json", kPaper) + " --index " + Index() + " --engine llm");
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("llm"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace novelta
