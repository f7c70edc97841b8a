// The LLM engine's cost on the dev set, without a model: a scripted
// OpenAI-compatible server on loopback (llm/fake_llm_server.h) answers with
// the claims the offline engine found (so both engines retrieve and compare
// the same claims) and a verdict for each. Prints, per paper:
//   - what each call sends (system + user message bytes; tokens are about a
//     quarter of the bytes for English text with GPT-style tokenizers), and
//     the completion cap of each call;
//   - with a warm cache (every answer stored by a first pass), the time an
//     LLM-engine assessment adds to the offline one: best of --passes for
//     each engine, alternating, paired per paper; and per stage (the LLM
//     engine's stage 1 replaces the offline extraction, its stage 3 runs after
//     the offline comparison).
//
// Usage: llm_bench --index DIR --dev FILE [--papers 100] [--passes 3]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/line_reader.h"
#include "llm/fake_llm_server.h"
#include "novelta/assessor.h"
#include "pipeline/ingest/ingest.h"

namespace novelta {
namespace {

struct Args {
  std::string index, dev;
  size_t papers = 100;
  int passes = 3;
};

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * v.size()))];
}

std::vector<Submission> LoadPapers(const Args& a) {
  std::vector<Submission> out;
  auto reader = LineReader::Open(a.dev);
  if (!reader.ok()) return out;
  std::string line;
  while (out.size() < a.papers && (*reader)->Next(&line)) {
    auto j = ParseJson(line, "dev");
    if (!j.ok() || !(*j)["fulltext"].is_string() || (*j)["fulltext"].get<std::string>().empty()) continue;
    auto s = ParseSubmissionJsonValue(*j, "dev", IngestLimits());
    if (s.ok()) out.push_back(std::move(*s));
  }
  return out;
}

// The three answers of one paper: its offline claims quoted back (the first 12), each judged
// novel, one sentence.
std::vector<FakeLlmServer::Response> AnswersFor(const NoveltyReport& offline) {
  Json claims = Json::array();
  for (const auto& c : offline.claims) {
    // The extraction schema allows 12 claims; the offline engine may keep more.
    if (c.claim.span.field == "fulltext" || claims.size() == 12) continue;
    claims.push_back({{"quote", c.claim.text}, {"type", ClaimTypeName(c.claim.type)}, {"summary", "the claim"}});
  }
  Json extraction = {{"methods", Json::array()}, {"problems", Json::array()}, {"datasets", Json::array()},
                     {"metrics", Json::array()}, {"results", Json::array()}, {"claims", claims}};
  Json verdicts = Json::array();
  for (size_t i = 0; i < claims.size(); ++i)
    verdicts.push_back({{"claim_id", "c" + std::to_string(i + 1)},
                        {"verdict", "novel"},
                        {"confidence", 0.7},
                        {"rationale", "No passage shown states it."},
                        {"quotes", Json::array()}});
  Json reasoning = {{"conclusion", "novel"},
                    {"sentences", {{{"text", "No claim has a close counterpart among the works compared."},
                                    {"claim_ids", {"c1"}},
                                    {"passage_ids", Json::array()}}}}};
  return {FakeLlmServer::Chat(extraction), FakeLlmServer::Chat({{"claims", verdicts}}),
          FakeLlmServer::Chat(reasoning)};
}

double Millis(const Assessor& assessor, const Submission& s, NoveltyReport* out) {
  auto t0 = std::chrono::steady_clock::now();
  auto r = assessor.Assess(s, {});
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (r.ok() && out) *out = std::move(*r);
  return r.ok() ? ms : -1;
}

int Run(const Args& a) {
  std::vector<Submission> papers = LoadPapers(a);
  if (papers.empty()) {
    std::fprintf(stderr, "llm_bench: no full-text papers read from %s\n", a.dev.c_str());
    return 1;
  }
  FakeLlmServer server;
  const std::string cache = (std::filesystem::temp_directory_path() /
                             ("novelta_llm_bench_" + std::to_string(::getpid()) + ".db")).string();
  AssessorOptions offline_options, llm_options;
  llm_options.engine.name = "llm";
  llm_options.engine.llm_url = server.url();
  llm_options.engine.llm_model = "bench-model";
  llm_options.engine.llm_cache = cache;
  auto offline = OpenAssessor(a.index, offline_options);
  auto llm = OpenAssessor(a.index, llm_options);
  if (!offline.ok() || !llm.ok()) {
    std::fprintf(stderr, "llm_bench: %s\n", (!offline.ok() ? offline.status() : llm.status()).ToString().c_str());
    return 1;
  }
  // First pass: the offline reports, then each paper once through the LLM engine (fills the cache).
  std::vector<double> extract_bytes, judge_bytes, reasoning_bytes;
  for (const Submission& s : papers) {
    NoveltyReport report;
    Millis(**offline, s, &report);
    for (auto& r : AnswersFor(report)) server.Push(std::move(r));
    const size_t before = server.requests().size();
    Millis(**llm, s, nullptr);
    auto requests = server.requests();
    std::vector<double>* sizes[] = {&extract_bytes, &judge_bytes, &reasoning_bytes};
    for (size_t i = before; i < requests.size() && i - before < 3; ++i) {
      Json body = requests[i].Body();
      double bytes = 0;
      for (const Json& m : body["messages"]) bytes += m["content"].get<std::string>().size();
      sizes[i - before]->push_back(bytes);
    }
  }
  // Warm: every answer from the cache; a call would get the 500 below and fall back.
  server.SetFallback({500, {}, "no call expected"});
  const int calls_before = server.request_count();
  std::vector<double> offline_ms, llm_ms, added_ms;
  std::map<std::string, std::vector<double>> stage_added;  // stage -> LLM minus offline, ms
  int fully_cached = 0;
  for (const Submission& s : papers) {
    double best_off = 1e18, best_llm = 1e18;
    NoveltyReport report, off_report, best_llm_report, best_off_report;
    for (int p = 0; p < a.passes; ++p) {
      double off = Millis(**offline, s, &off_report);
      if (off < best_off) best_off = off, best_off_report = off_report;
      double on = Millis(**llm, s, &report);
      if (on < best_llm) best_llm = on, best_llm_report = report;
    }
    for (const char* stage : {"extract", "retrieve", "compare"})
      stage_added[stage].push_back(best_llm_report.timing_ms[stage] - best_off_report.timing_ms[stage]);
    fully_cached += report.engine.calls == 3 && report.engine.cache_hits == 3 && report.engine.comparison_by == "llm";
    offline_ms.push_back(best_off);
    llm_ms.push_back(best_llm);
    added_ms.push_back(best_llm - best_off);
  }
  std::filesystem::remove(cache);
  auto tokens = [](const std::vector<double>& bytes, double q) { return Percentile(bytes, q) / 4; };
  std::printf("papers (full text)                        %zu\n", papers.size());
  std::printf("calls to the server in the warm passes    %d\n", server.request_count() - calls_before);
  std::printf("warm reports entirely from the cache      %d of %zu\n", fully_cached, papers.size());
  std::printf("offline assessment, median / p90 ms       %.1f / %.1f\n", Percentile(offline_ms, 0.5),
              Percentile(offline_ms, 0.9));
  std::printf("LLM engine, warm cache, median / p90 ms   %.1f / %.1f\n", Percentile(llm_ms, 0.5),
              Percentile(llm_ms, 0.9));
  std::printf("added by the LLM engine, median / p90 ms  %.2f / %.2f\n", Percentile(added_ms, 0.5),
              Percentile(added_ms, 0.9));
  for (const auto& [stage, added] : stage_added)
    std::printf("  %-8s stage, LLM minus offline, median / p90 ms  %.2f / %.2f\n", stage.c_str(),
                Percentile(added, 0.5), Percentile(added, 0.9));
  std::printf("prompt bytes per paper, median / p90: extract %.0f / %.0f, judge %.0f / %.0f, reasoning %.0f / %.0f\n",
              Percentile(extract_bytes, 0.5), Percentile(extract_bytes, 0.9), Percentile(judge_bytes, 0.5),
              Percentile(judge_bytes, 0.9), Percentile(reasoning_bytes, 0.5), Percentile(reasoning_bytes, 0.9));
  std::vector<double> total;
  for (size_t i = 0; i < extract_bytes.size() && i < judge_bytes.size() && i < reasoning_bytes.size(); ++i)
    total.push_back(extract_bytes[i] + judge_bytes[i] + reasoning_bytes[i]);
  std::printf("prompt tokens per paper (bytes / 4), median / p90  %.0f / %.0f\n", tokens(total, 0.5),
              tokens(total, 0.9));
  return 0;
}

}  // namespace
}  // namespace novelta

int main(int argc, char** argv) {
  novelta::Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--index") a.index = v;
    else if (k == "--dev") a.dev = v;
    else if (k == "--papers") a.papers = std::stoul(v);
    else if (k == "--passes") a.passes = std::stoi(v);
    else {
      std::fprintf(stderr, "llm_bench: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  if (a.index.empty() || a.dev.empty()) {
    std::fprintf(stderr, "usage: llm_bench --index DIR --dev FILE [--papers 100] [--passes 3]\n");
    return 2;
  }
  return novelta::Run(a);
}
