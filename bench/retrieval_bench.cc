// retrieval_bench: stage 2 alone — queries per second and recall@20 of cited
// prior work over the dev papers that have full text.
//
// Gold: each dev paper's `## References` entries resolved to corpus papers
// (PaperIndex::resolver()) dated before the submission. Query: title +
// abstract. Recall@20: share of gold papers in the top 20 (micro-averaged).
// Also writes the queries and gold ids as JSON Lines so the baselines
// (bench/baselines.py) are scored on exactly the same set.
//
// Five systems: "novelta-dense-exact" (exact float inner products over all
// vectors), "novelta-dense" (PaperIndex::Search alone: for a flat index the
// 8-bit scan with exact re-ranking), "novelta-bm25" (SparseIndex::Search
// alone: row ids only), "novelta-lexical" (the Retriever with a query that
// skips the dense index: BM25, then the papers read from the store) and
// "novelta-hybrid" (the Retriever as stage 2 uses it for the whole-paper
// query: dense + BM25 fused, papers read). No date cutoff, like the baselines.
//
// Usage: retrieval_bench --index DIR --dev FILE [--out-queries FILE] [--k 20]
//                        [--lexical-weight W (default: RetrievalOptions')]
//                        [--systems NAME,NAME,... (default: all five)]
//                        [--passes N (default 1: each system's figure is the
//                         best of N timed passes over the queries)]
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/json.h"
#include "base/line_reader.h"
#include "index/paper_index.h"
#include "pipeline/retrieve/retriever.h"
#include "novelta/model.h"

namespace {

using novelta::Json;

struct Query {
  std::string id;
  std::string text;
  std::vector<int64_t> gold;
};

// Lines of the references section of a Markdown full text.
std::vector<std::string> ReferenceLines(const std::string& md) {
  std::vector<std::string> out;
  size_t pos = std::string::npos;
  for (const char* h : {"\n## References", "\n# References", "\n## REFERENCES", "\n## Bibliography",
                        "\n### References"}) {
    pos = md.find(h);
    if (pos != std::string::npos) break;
  }
  if (pos == std::string::npos) return out;
  pos = md.find('\n', pos + 1);
  while (pos != std::string::npos && pos < md.size()) {
    size_t end = md.find('\n', pos + 1);
    std::string line = md.substr(pos + 1, end == std::string::npos ? std::string::npos : end - pos - 1);
    // Appendices follow the references in many papers.
    if (line.rfind("## ", 0) == 0 || line.rfind("# ", 0) == 0) {
      std::string lower = line;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      if (lower.find("appendi") != std::string::npos || lower.find("checklist") != std::string::npos ||
          lower.find("supplement") != std::string::npos)
        break;
    }
    if (line.size() > 20) out.push_back(line);
    pos = end;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string index_dir, dev_path, out_queries;
  int k = 20;
  int passes = 1;
  std::string systems;  // empty: all
  double lexical_weight = novelta::RetrievalOptions().fusion_lexical_share;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--index") index_dir = argv[i + 1];
    else if (a == "--dev") dev_path = argv[i + 1];
    else if (a == "--out-queries") out_queries = argv[i + 1];
    else if (a == "--k") k = std::atoi(argv[i + 1]);
    else if (a == "--lexical-weight") lexical_weight = std::atof(argv[i + 1]);
    else if (a == "--systems") systems = "," + std::string(argv[i + 1]) + ",";
    else if (a == "--passes") passes = std::max(1, std::atoi(argv[i + 1]));
    else { std::fprintf(stderr, "retrieval_bench: unknown option %s\n", a.c_str()); return 2; }
  }
  if (index_dir.empty() || dev_path.empty()) {
    std::fprintf(stderr, "usage: retrieval_bench --index DIR --dev FILE [--out-queries FILE] [--k 20]\n");
    return 2;
  }
  omp_set_num_threads(1);
  novelta::PaperIndexOptions io;
  io.verify_checksums = false;
  auto index = novelta::PaperIndex::Open(index_dir, io);
  if (!index.ok()) { std::fprintf(stderr, "%s\n", index.status().ToString().c_str()); return 1; }
  const auto& idx = **index;

  auto reader = novelta::LineReader::Open(dev_path);
  if (!reader.ok()) { std::fprintf(stderr, "%s\n", reader.status().ToString().c_str()); return 1; }
  std::vector<Query> queries;
  std::string line;
  size_t with_fulltext = 0, references = 0, resolved = 0;
  while ((*reader)->Next(&line)) {
    auto j = novelta::ParseJson(line, "dev");
    if (!j.ok() || !(*j)["fulltext"].is_string()) continue;
    ++with_fulltext;
    novelta::Date submitted;
    if ((*j)["submitted"].is_string()) {
      auto d = novelta::Date::Parse((*j)["submitted"].get<std::string>());
      if (d.ok()) submitted = *d;
    }
    Query q;
    q.id = (*j).value("id", "");
    q.text = (*j).value("title", "") + ". " + (*j).value("abstract", "");
    std::unordered_set<int64_t> gold;
    for (const auto& ref : ReferenceLines((*j)["fulltext"].get<std::string>())) {
      ++references;
      auto m = idx.resolver().Resolve(ref);
      if (!m.found()) continue;
      ++resolved;
      if (novelta::IsPrior(idx.date(m.row), submitted)) gold.insert(m.row);
    }
    if (gold.empty()) continue;
    q.gold.assign(gold.begin(), gold.end());
    queries.push_back(std::move(q));
  }

  std::vector<float> v(idx.dimensions());
  // Warm-up (page-in), then the timed pass: embed + search, one query at a time.
  for (size_t i = 0; i < std::min<size_t>(20, queries.size()); ++i) {
    idx.Dense(queries[i].text, v.data());
    idx.Search(v.data(), 1, k);
  }
  std::vector<Json> results;
  auto selected = [&](const std::string& system) {
    return systems.empty() || systems.find("," + system + ",") != std::string::npos;
  };
  auto run = [&](const std::string& system, const auto& top_rows) {
    if (!selected(system)) return;
    size_t found = 0, total = 0;
    double secs = 0;
    for (int pass = 0; pass < passes; ++pass) {
      found = total = 0;
      auto t0 = std::chrono::steady_clock::now();
      for (const auto& q : queries) {
        std::unordered_set<int64_t> top = top_rows(q);
        for (int64_t g : q.gold) found += top.count(g);
        total += q.gold.size();
      }
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      secs = pass == 0 ? s : std::min(secs, s);
    }
    results.push_back({{"system", system},
                       {"index_type", idx.manifest()["vectors"].value("type", "")},
                       {"papers_with_fulltext", with_fulltext},
                       {"reference_lines", references},
                       {"references_resolved", resolved},
                       {"queries", queries.size()},
                       {"gold_pairs", total},
                       {"recall_at_k", total ? static_cast<double>(found) / total : 0.0},
                       {"k", k},
                       {"queries_per_second", secs > 0 ? queries.size() / secs : 0.0}});
  };
  if (selected("novelta-dense-exact")) {
    // The same index searched exactly (every vector, in float).
    novelta::PaperIndexOptions exact_io = io;
    exact_io.vectors.flat_quantized_from = SIZE_MAX;
    auto exact = novelta::PaperIndex::Open(index_dir, exact_io);
    if (!exact.ok()) { std::fprintf(stderr, "%s\n", exact.status().ToString().c_str()); return 1; }
    run("novelta-dense-exact", [&](const Query& q) {
      (*exact)->Dense(q.text, v.data());
      std::unordered_set<int64_t> top;
      const auto hits = (*exact)->Search(v.data(), 1, k);
      for (const auto& h : hits[0]) top.insert(h.row);
      return top;
    });
  }
  run("novelta-dense", [&](const Query& q) {
    idx.Dense(q.text, v.data());
    std::unordered_set<int64_t> top;
    const auto hits = idx.Search(v.data(), 1, k);  // keep the result alive while iterating
    for (const auto& h : hits[0]) top.insert(h.row);
    return top;
  });
  auto sparse = idx.sparse_index();
  if (!sparse.ok()) { std::fprintf(stderr, "%s\n", sparse.status().ToString().c_str()); return 1; }
  run("novelta-bm25", [&](const Query& q) {
    std::unordered_set<int64_t> top;
    for (const auto& h : (*sparse)->Search(q.text, k, novelta::SparseScoring::kBm25)) top.insert(h.row);
    return top;
  });
  novelta::Retriever retriever(&idx);
  novelta::RetrievalRequest request;
  request.top_k = k;
  request.max_results = k;
  run("novelta-lexical", [&](const Query& q) {
    novelta::RetrievalQuery query{"paper", q.text, 1.f};
    query.dense = false;
    std::unordered_set<int64_t> top;
    auto got = retriever.Retrieve({query}, request);
    if (got.ok())
      for (const auto& p : *got) top.insert(p.row);
    return top;
  });
  novelta::RetrievalOptions hybrid_options;
  hybrid_options.fusion_lexical_share = lexical_weight;
  novelta::Retriever hybrid(&idx, hybrid_options);
  run("novelta-hybrid", [&](const Query& q) {
    std::unordered_set<int64_t> top;
    auto got = hybrid.Retrieve({{"paper", q.text, 1.f}}, request);
    if (got.ok())
      for (const auto& p : *got) top.insert(p.row);
    return top;
  });

  if (!out_queries.empty()) {
    std::ofstream out(out_queries);
    for (const auto& q : queries) {
      Json gold = Json::array();
      for (int64_t g : q.gold) gold.push_back(idx.id(g));
      out << novelta::DumpJson(Json{{"id", q.id}, {"query", q.text}, {"gold", gold}}) << "\n";
    }
  }
  for (const auto& r : results) std::printf("%s\n", novelta::DumpJson(r).c_str());
  return 0;
}
