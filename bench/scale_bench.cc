// scale_bench: the vector index at 100k to millions of papers.
//
// The corpus is grown from the real one with perturbed copies: every copy of
// a paper has its abstract's sentences shuffled, a tenth of its adjacent words
// swapped and about 15% of its words replaced by words drawn from other
// papers (so copies are near, not identical, to their source). Copies are
// embedded with the real index's tokenizer and embedder, exactly as papers
// are at build time.
//
//   scale_bench build --index DIR --corpus FILE --n N --out DIR [--type auto] [--queries 200]
//                     [--write-corpus] [--seed 17]
//     writes DIR/vectors.f32 (exact vectors, for ground truth), DIR/index.faiss,
//     DIR/queries.f32 (held-out perturbed copies), and DIR/corpus.jsonl with --write-corpus.
//   scale_bench query --out DIR [--nprobe P] [--k-factor F] [--no-mmap]
//     loads the index in a fresh process and prints memory per paper, latency
//     (one thread, k = 10) and recall@10 against exact brute-force search.
#include <faiss/IndexFlat.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/json.h"
#include "base/sentence_splitter.h"
#include "corpora/corpus_reader.h"
#include "index/paper_index.h"
#include "index/vector_index.h"

namespace {

using novelta::Json;
using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string Arg(int argc, char** argv, const std::string& name, const std::string& fallback = "") {
  for (int i = 2; i < argc; ++i)
    if (argv[i] == name) return i + 1 < argc && argv[i + 1][0] != '-' ? argv[i + 1] : "1";
  return fallback;
}

// "VmRSS", "RssAnon", "RssFile" from /proc/self/status, in bytes.
uint64_t ProcStatusBytes(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + ":", 0) == 0) return std::stoull(line.substr(key.size() + 1)) * 1024;
  return 0;
}

std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.push_back(std::move(w));
  return out;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

class Perturber {
 public:
  explicit Perturber(const std::vector<novelta::CorpusRecord>& papers) {
    std::mt19937_64 rng(5);
    for (size_t i = 0; i < papers.size() && pool_.size() < 2000000; i += 1 + rng() % 3)
      for (auto& w : Words(papers[i].abstract)) pool_.push_back(std::move(w));
    if (pool_.empty()) pool_.push_back("paper");
  }
  void PerturbWords(std::vector<std::string>* words, std::mt19937_64& rng, double replace) const {
    if (words->size() < 2) return;
    for (size_t i = 0; i + 1 < words->size(); ++i)
      if (rng() % 10 == 0) std::swap((*words)[i], (*words)[i + 1]);
    for (auto& w : *words)
      if (std::uniform_real_distribution<double>(0, 1)(rng) < replace) w = pool_[rng() % pool_.size()];
  }
  // The text a perturbed copy of `r` is embedded from (title. abstract).
  std::string Copy(const novelta::CorpusRecord& r, uint64_t seed, std::string* title,
                   std::string* abstract) const {
    std::mt19937_64 rng(seed);
    std::vector<std::string> sentences;
    for (const auto& s : novelta::SplitSentences(r.abstract))
      sentences.push_back(r.abstract.substr(s.start, s.end - s.start));
    std::shuffle(sentences.begin(), sentences.end(), rng);
    std::vector<std::string> words;
    for (const auto& s : sentences)
      for (auto& w : Words(s)) words.push_back(std::move(w));
    PerturbWords(&words, rng, 0.15);
    *abstract = Join(words);
    auto title_words = Words(r.title);
    PerturbWords(&title_words, rng, 0.1);
    *title = Join(title_words);
    return abstract->empty() ? *title : *title + ". " + *abstract;
  }

 private:
  std::vector<std::string> pool_;
};

bool WriteFloats(const std::string& path, const std::vector<float>& v) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * 4));
  return static_cast<bool>(out);
}

std::vector<float> ReadFloats(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  std::vector<float> v(static_cast<size_t>(in.tellg()) / 4);
  in.seekg(0);
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * 4));
  return v;
}

int Build(int argc, char** argv) {
  const std::string index_dir = Arg(argc, argv, "--index"), corpus = Arg(argc, argv, "--corpus"),
                    out = Arg(argc, argv, "--out");
  const size_t n = std::stoull(Arg(argc, argv, "--n", "100000"));
  const size_t nq = std::stoull(Arg(argc, argv, "--queries", "200"));
  const uint64_t seed = std::stoull(Arg(argc, argv, "--seed", "17"));
  const bool write_corpus = !Arg(argc, argv, "--write-corpus").empty();
  novelta::VectorIndexOptions vopts;
  vopts.type = Arg(argc, argv, "--type", "auto");
  if (index_dir.empty() || corpus.empty() || out.empty()) {
    std::fprintf(stderr, "usage: scale_bench build --index DIR --corpus FILE --n N --out DIR\n");
    return 2;
  }
  novelta::PaperIndexOptions io;
  io.verify_checksums = false;
  auto index = novelta::PaperIndex::Open(index_dir, io);
  if (!index.ok()) { std::fprintf(stderr, "%s\n", index.status().ToString().c_str()); return 1; }
  std::vector<novelta::CorpusRecord> papers;
  novelta::CorpusReadStats stats;
  auto s = novelta::ReadCorpus(corpus, [&](novelta::CorpusRecord&& r) { papers.push_back(std::move(r)); }, &stats);
  if (!s.ok() || papers.empty()) { std::fprintf(stderr, "%s\n", s.ToString().c_str()); return 1; }
  Perturber perturber(papers);
  std::system(("mkdir -p '" + out + "'").c_str());

  const int dim = (*index)->dimensions();
  std::vector<float> vectors(n * static_cast<size_t>(dim));
  std::ofstream corpus_out;
  if (write_corpus) corpus_out.open(out + "/corpus.jsonl");
  auto t = Clock::now();
  const size_t chunk = 50000;
  std::vector<std::string> lines(chunk);
  for (size_t begin = 0; begin < n; begin += chunk) {
    const size_t end = std::min(n, begin + chunk);
#pragma omp parallel for schedule(dynamic, 256)
    for (size_t i = begin; i < end; ++i) {
      const auto& src = papers[i % papers.size()];
      std::string title = src.title, abstract = src.abstract, text;
      if (i < papers.size()) {
        text = abstract.empty() ? title : title + ". " + abstract;
      } else {
        text = perturber.Copy(src, seed * 1000003 + i, &title, &abstract);
      }
      (*index)->Dense(text, &vectors[i * dim]);
      if (write_corpus) {
        Json j = {{"id", "scale:" + std::to_string(i)}, {"title", title}, {"abstract", abstract},
                  {"date", src.date.ToString()}, {"venue", src.venue}, {"source", "scale-bench"}};
        if (!src.date.known()) j.erase("date");
        lines[i - begin] = novelta::DumpJson(j);
      }
    }
    if (write_corpus)
      for (size_t i = begin; i < end; ++i) corpus_out << lines[i - begin] << '\n';
    std::fprintf(stderr, "\rembedded %zu / %zu (%.0fs)", end, n, Since(t));
  }
  std::fprintf(stderr, "\n");
  const double embed_s = Since(t);
  if (!WriteFloats(out + "/vectors.f32", vectors)) { std::fprintf(stderr, "cannot write vectors\n"); return 1; }

  t = Clock::now();
  auto vindex = novelta::VectorIndex::Build(vectors.data(), n, dim, vopts);
  if (!vindex.ok()) { std::fprintf(stderr, "%s\n", vindex.status().ToString().c_str()); return 1; }
  const double index_s = Since(t);
  s = (*vindex)->Save(out + "/index.faiss");
  if (!s.ok()) { std::fprintf(stderr, "%s\n", s.ToString().c_str()); return 1; }

  // Held-out queries: fresh perturbations of random papers (not in the index).
  std::vector<float> queries(nq * dim);
  std::mt19937_64 rng(seed + 99);
  for (size_t q = 0; q < nq; ++q) {
    std::string title, abstract;
    (*index)->Dense(perturber.Copy(papers[rng() % papers.size()], rng(), &title, &abstract), &queries[q * dim]);
  }
  WriteFloats(out + "/queries.f32", queries);
  std::ifstream f(out + "/index.faiss", std::ios::binary | std::ios::ate);
  const double disk = static_cast<double>(f.tellg());
  Json result = {{"n", n}, {"type", (*vindex)->type()}, {"dimensions", dim},
                 {"embed_seconds", embed_s}, {"index_build_seconds", index_s},
                 {"index_bytes_on_disk", disk}, {"disk_bytes_per_paper", disk / n}};
  std::ofstream(out + "/build.json") << result.dump() << "\n";
  std::printf("%s\n", result.dump().c_str());
  return 0;
}

int Query(int argc, char** argv) {
  const std::string out = Arg(argc, argv, "--out");
  const int k = 10;
  novelta::VectorLoadOptions lo;
  lo.mmap = Arg(argc, argv, "--no-mmap").empty();
  lo.ivf_nprobe = std::stoi(Arg(argc, argv, "--nprobe", "0"));
  lo.refine_k_factor = std::stof(Arg(argc, argv, "--k-factor", "0"));
  auto queries = ReadFloats(out + "/queries.f32");
  omp_set_num_threads(1);
  const uint64_t rss0 = ProcStatusBytes("VmRSS"), anon0 = ProcStatusBytes("RssAnon"),
                 file0 = ProcStatusBytes("RssFile");
  auto t = Clock::now();
  auto vindex = novelta::VectorIndex::Load(out + "/index.faiss", lo);
  if (!vindex.ok()) { std::fprintf(stderr, "%s\n", vindex.status().ToString().c_str()); return 1; }
  const double load_s = Since(t);
  const int dim = (*vindex)->dim();
  const size_t n = (*vindex)->size(), nq = queries.size() / dim;
  std::vector<double> lat;
  std::vector<std::vector<novelta::SearchHit>> approx;
  for (int pass = 0; pass < 2; ++pass) {  // the first pass pages the index in
    lat.clear();
    approx.clear();
    for (size_t q = 0; q < nq; ++q) {
      auto tq = Clock::now();
      approx.push_back((*vindex)->Search(&queries[q * dim], 1, k)[0]);
      lat.push_back(Since(tq) * 1000);
    }
  }
  const uint64_t rss1 = ProcStatusBytes("VmRSS"), anon1 = ProcStatusBytes("RssAnon"),
                 file1 = ProcStatusBytes("RssFile");
  std::sort(lat.begin(), lat.end());
  vindex->reset();

  // Exact top-10 by brute force over the stored vectors, in chunks.
  omp_set_num_threads(2);
  t = Clock::now();
  std::vector<std::vector<std::pair<float, int64_t>>> best(nq);
  std::ifstream in(out + "/vectors.f32", std::ios::binary);
  const size_t chunk = 250000;
  std::vector<float> buf(chunk * dim);
  std::vector<float> dist(nq * k);
  std::vector<faiss::Index::idx_t> labels(nq * k);
  for (size_t begin = 0; begin < n; begin += chunk) {
    const size_t m = std::min(chunk, n - begin);
    in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(m * dim * 4));
    faiss::IndexFlatIP flat(dim);
    flat.add(static_cast<faiss::Index::idx_t>(m), buf.data());
    flat.search(static_cast<faiss::Index::idx_t>(nq), queries.data(), k, dist.data(), labels.data());
    for (size_t q = 0; q < nq; ++q)
      for (int i = 0; i < k; ++i)
        if (labels[q * k + i] >= 0) best[q].push_back({dist[q * k + i], labels[q * k + i] + static_cast<int64_t>(begin)});
  }
  size_t found = 0;
  for (size_t q = 0; q < nq; ++q) {
    auto& b = best[q];
    std::partial_sort(b.begin(), b.begin() + std::min<size_t>(k, b.size()), b.end(),
                      [](const auto& x, const auto& y) { return x.first > y.first; });
    std::unordered_set<int64_t> truth;
    for (size_t i = 0; i < std::min<size_t>(k, b.size()); ++i) truth.insert(b[i].second);
    for (const auto& h : approx[q]) found += truth.count(h.row);
  }
  Json result = {{"n", n},
                 {"mmap", lo.mmap},
                 {"load_seconds", load_s},
                 {"memory_bytes_per_paper", static_cast<double>(rss1 - rss0) / n},
                 {"anon_bytes_per_paper", static_cast<double>(anon1 - anon0) / n},
                 {"file_bytes_per_paper", static_cast<double>(file1 - file0) / n},
                 {"query_ms_median", lat[lat.size() / 2]},
                 {"query_ms_p99", lat[std::min(lat.size() - 1, lat.size() * 99 / 100)]},
                 {"recall_at_10", static_cast<double>(found) / (nq * k)},
                 {"queries", nq},
                 {"exact_seconds", Since(t)}};
  std::printf("%s\n", result.dump().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "build") return Build(argc, argv);
  if (mode == "query") return Query(argc, argv);
  std::fprintf(stderr, "usage: scale_bench build|query ... (see the comment at the top of scale_bench.cc)\n");
  return 2;
}
