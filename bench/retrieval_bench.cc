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

struct Flags {
  std::string index_dir, dev_path, out_queries;
  int k = 20;
  int passes = 1;
  std::string systems;  // ",a,b,": the systems to run; empty: all
  double lexical_weight = novelta::RetrievalOptions().fusion_lexical_share;

  bool Selected(const std::string& system) const {
    return systems.empty() || systems.find("," + system + ",") != std::string::npos;
  }
};

// Parses the command line; false (after a message) when it is not valid.
bool ParseFlags(int argc, char** argv, Flags* f) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--index") f->index_dir = argv[i + 1];
    else if (a == "--dev") f->dev_path = argv[i + 1];
    else if (a == "--out-queries") f->out_queries = argv[i + 1];
    else if (a == "--k") f->k = std::atoi(argv[i + 1]);
    else if (a == "--lexical-weight") f->lexical_weight = std::atof(argv[i + 1]);
    else if (a == "--systems") f->systems = "," + std::string(argv[i + 1]) + ",";
    else if (a == "--passes") f->passes = std::max(1, std::atoi(argv[i + 1]));
    else { std::fprintf(stderr, "retrieval_bench: unknown option %s\n", a.c_str()); return false; }
  }
  if (f->index_dir.empty() || f->dev_path.empty()) {
    std::fprintf(stderr, "usage: retrieval_bench --index DIR --dev FILE [--out-queries FILE] [--k 20]\n");
    return false;
  }
  return true;
}

// The dev papers with full text and at least one gold paper, as queries.
struct DevQueries {
  std::vector<Query> queries;
  size_t with_fulltext = 0, references = 0, resolved = 0;
};

novelta::StatusOr<DevQueries> ReadDevQueries(const std::string& dev_path, const novelta::PaperIndex& idx) {
  NOVELTA_ASSIGN_OR_RETURN(auto reader, novelta::LineReader::Open(dev_path));
  DevQueries out;
  std::string line;
  while (reader->Next(&line)) {
    auto j = novelta::ParseJson(line, "dev");
    if (!j.ok() || !(*j)["fulltext"].is_string()) continue;
    ++out.with_fulltext;
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
      ++out.references;
      auto m = idx.resolver().Resolve(ref);
      if (!m.found()) continue;
      ++out.resolved;
      if (novelta::IsPrior(idx.date(m.row), submitted)) gold.insert(m.row);
    }
    if (gold.empty()) continue;
    q.gold.assign(gold.begin(), gold.end());
    out.queries.push_back(std::move(q));
  }
  return out;
}

// Times one system (the best of `flags.passes` passes over the queries) and
// scores its recall; `top_rows(query)` gives the system's top k rows.
template <typename TopRows>
Json TimeSystem(const std::string& system, const Flags& flags, const DevQueries& dev,
                const novelta::PaperIndex& idx, const TopRows& top_rows) {
  size_t found = 0, total = 0;
  double secs = 0;
  for (int pass = 0; pass < flags.passes; ++pass) {
    found = total = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (const auto& q : dev.queries) {
      std::unordered_set<int64_t> top = top_rows(q);
      for (int64_t g : q.gold) found += top.count(g);
      total += q.gold.size();
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    secs = pass == 0 ? s : std::min(secs, s);
  }
  return {{"system", system},
          {"index_type", idx.manifest()["vectors"].value("type", "")},
          {"papers_with_fulltext", dev.with_fulltext},
          {"reference_lines", dev.references},
          {"references_resolved", dev.resolved},
          {"queries", dev.queries.size()},
          {"gold_pairs", total},
          {"recall_at_k", total ? static_cast<double>(found) / total : 0.0},
          {"k", flags.k},
          {"queries_per_second", secs > 0 ? dev.queries.size() / secs : 0.0}};
}

// The rows of the dense index's top k for `q`.
std::unordered_set<int64_t> DenseTop(const novelta::PaperIndex& idx, const Query& q, int k, std::vector<float>* v) {
  idx.Dense(q.text, v->data());
  std::unordered_set<int64_t> top;
  const auto hits = idx.Search(v->data(), 1, k);  // keep the result alive while iterating
  for (const auto& h : hits[0]) top.insert(h.row);
  return top;
}

// The rows of the retriever's top k for `query`.
std::unordered_set<int64_t> RetrieverTop(const novelta::Retriever& retriever, const novelta::RetrievalQuery& query,
                                         const novelta::RetrievalRequest& request) {
  std::unordered_set<int64_t> top;
  auto got = retriever.Retrieve({query}, request);
  if (got.ok())
    for (const auto& p : *got) top.insert(p.row);
  return top;
}

// Runs the selected systems in turn, appending each one's figures to `results`.
novelta::Status RunSystems(const Flags& flags, const novelta::PaperIndexOptions& io, const novelta::PaperIndex& idx,
                           const DevQueries& dev, std::vector<Json>* results) {
  const int k = flags.k;
  std::vector<float> v(idx.dimensions());
  // Warm-up (page-in), then the timed passes: embed + search, one query at a time.
  for (size_t i = 0; i < std::min<size_t>(20, dev.queries.size()); ++i) {
    idx.Dense(dev.queries[i].text, v.data());
    idx.Search(v.data(), 1, k);
  }
  auto run = [&](const std::string& system, const auto& top_rows) {
    if (flags.Selected(system)) results->push_back(TimeSystem(system, flags, dev, idx, top_rows));
  };
  if (flags.Selected("novelta-dense-exact")) {
    // The same index searched exactly (every vector, in float).
    novelta::PaperIndexOptions exact_io = io;
    exact_io.vectors.flat_quantized_from = SIZE_MAX;
    NOVELTA_ASSIGN_OR_RETURN(auto exact, novelta::PaperIndex::Open(flags.index_dir, exact_io));
    run("novelta-dense-exact", [&](const Query& q) { return DenseTop(*exact, q, k, &v); });
  }
  run("novelta-dense", [&](const Query& q) { return DenseTop(idx, q, k, &v); });
  NOVELTA_ASSIGN_OR_RETURN(const novelta::SparseIndex* sparse, idx.sparse_index());
  run("novelta-bm25", [&](const Query& q) {
    std::unordered_set<int64_t> top;
    for (const auto& h : sparse->Search(q.text, k, novelta::SparseScoring::kBm25)) top.insert(h.row);
    return top;
  });
  novelta::RetrievalRequest request;
  request.top_k = k;
  request.max_results = k;
  novelta::Retriever retriever(&idx);
  run("novelta-lexical", [&](const Query& q) {
    novelta::RetrievalQuery query{"paper", q.text, 1.f};
    query.dense = false;
    return RetrieverTop(retriever, query, request);
  });
  novelta::RetrievalOptions hybrid_options;
  hybrid_options.fusion_lexical_share = flags.lexical_weight;
  novelta::Retriever hybrid(&idx, hybrid_options);
  run("novelta-hybrid", [&](const Query& q) { return RetrieverTop(hybrid, {"paper", q.text, 1.f}, request); });
  return novelta::Status::OK();
}

// The queries and their gold ids as JSON Lines, for bench/baselines.py.
void WriteQueries(const std::string& path, const DevQueries& dev, const novelta::PaperIndex& idx) {
  std::ofstream out(path);
  for (const auto& q : dev.queries) {
    Json gold = Json::array();
    for (int64_t g : q.gold) gold.push_back(idx.id(g));
    out << novelta::DumpJson(Json{{"id", q.id}, {"query", q.text}, {"gold", gold}}) << "\n";
  }
}

int Fail(const novelta::Status& s) {
  std::fprintf(stderr, "%s\n", s.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, &flags)) return 2;
  omp_set_num_threads(1);
  novelta::PaperIndexOptions io;
  io.verify_checksums = false;
  auto index = novelta::PaperIndex::Open(flags.index_dir, io);
  if (!index.ok()) return Fail(index.status());
  const auto& idx = **index;
  auto dev = ReadDevQueries(flags.dev_path, idx);
  if (!dev.ok()) return Fail(dev.status());
  std::vector<Json> results;
  novelta::Status s = RunSystems(flags, io, idx, *dev, &results);
  if (!s.ok()) return Fail(s);
  if (!flags.out_queries.empty()) WriteQueries(flags.out_queries, *dev, idx);
  for (const auto& r : results) std::printf("%s\n", novelta::DumpJson(r).c_str());
  return 0;
}
