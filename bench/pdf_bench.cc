// pdf_bench: how well a PDF submission is read, against what its author
// wrote, on the corpus bench/pdf/render_papers.py renders with LaTeX.
//
// For every DIR/<layout>/<id>.pdf the renderer wrote <id>.md (the same paper
// as Markdown) and <id>.truth.json (title, abstract, headings, references).
// The PDF is read the way `novelta assess` reads it (in this process), and
// scored per layout:
//   title      share of papers whose title is exact, case and spacing aside
//   abstract   mean token F1 of the abstract
//   headings   share of the true headings found as section headings
//   references share of the true entries found (an entry with token F1 >= 0.9)
// With --index, both the PDF and the Markdown are assessed (same settings):
//   cited      share of related works in both reports whose cited mark agrees
//              (cited_recall: of those the Markdown path marks cited, the
//              share the PDF path marks cited too)
//   claims     claim overlap: claims of one matched in the other (token F1
//              >= 0.8), 2 * matched / (claims of PDF + claims of Markdown)
// and the Markdown path's own title/abstract/headings/references scores are
// printed beside, as the ceiling of the truth files.
// Speed: each PDF is read --passes times; the best time per paper is kept.
// --long FILE times one long PDF the same way.
//
// Usage: pdf_bench --corpus DIR [--index DIR] [--passes N] [--long FILE]
//                  [--details FILE (one JSON line per paper)]
// Output: one JSON line per layout and one for all, then the long PDF.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/text.h"
#include "novelta/assessor.h"
#include "pipeline/ingest/ingest.h"

namespace {

using novelta::Json;
namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Lower case, white space removed: "R EFERENCES" equals "References".
std::string Squeeze(std::string_view s) {
  std::string out;
  for (char c : novelta::ToLowerAscii(s))
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

double TokenF1(std::string_view a, std::string_view b) {
  std::vector<std::string> x = novelta::WordTokens(a), y = novelta::WordTokens(b);
  if (x.empty() && y.empty()) return 1;
  if (x.empty() || y.empty()) return 0;
  std::map<std::string, int> count;
  for (const auto& t : x) ++count[t];
  size_t common = 0;
  for (const auto& t : y)
    if (count[t]-- > 0) ++common;
  if (common == 0) return 0;
  const double p = static_cast<double>(common) / static_cast<double>(y.size());
  const double r = static_cast<double>(common) / static_cast<double>(x.size());
  return 2 * p * r / (p + r);
}

// Share of `truth` entries that some entry of `found` matches (token F1 >= min_f1).
double ShareFound(const std::vector<std::string>& truth, const std::vector<std::string>& found, double min_f1) {
  if (truth.empty()) return 1;
  size_t hits = 0;
  for (const auto& t : truth)
    for (const auto& f : found)
      if (TokenF1(t, f) >= min_f1) {
        ++hits;
        break;
      }
  return static_cast<double>(hits) / static_cast<double>(truth.size());
}

struct Scores {
  double title = 0, abstract = 0, headings = 0, references = 0;
  std::vector<std::string> missing_headings;  // for --details
};

Scores Score(const novelta::Submission& s, const Json& truth) {
  Scores out;
  out.title = Squeeze(s.title) == Squeeze(truth.value("title", "")) ? 1 : 0;
  out.abstract = TokenF1(truth.value("abstract", ""), s.abstract);
  std::vector<std::string> headings, found;
  for (const auto& h : truth["headings"]) headings.push_back(Squeeze(h.value("text", "")));
  for (const auto& sec : s.sections) found.push_back(Squeeze(sec.heading));
  size_t hits = 0;
  for (const auto& h : headings) {
    const bool hit = std::find(found.begin(), found.end(), h) != found.end();
    hits += hit;
    if (!hit) out.missing_headings.push_back(h);
  }
  out.headings = headings.empty() ? 1 : static_cast<double>(hits) / static_cast<double>(headings.size());
  out.references = ShareFound(truth["references"].get<std::vector<std::string>>(), s.references, 0.9);
  return out;
}

struct Compared {
  double cited = -1;   // -1: no related work in common
  double claims = -1;  // -1: neither has claims
  size_t common = 0;
  size_t md_cited = 0, both_cited = 0;  // of the works in common
};

Compared Compare(const novelta::NoveltyReport& pdf, const novelta::NoveltyReport& md) {
  Compared out;
  std::map<std::string, bool> md_cited;
  for (const auto& w : md.related_work) md_cited[w.id] = w.cited;
  size_t agree = 0;
  for (const auto& w : pdf.related_work) {
    auto it = md_cited.find(w.id);
    if (it == md_cited.end()) continue;
    ++out.common;
    agree += it->second == w.cited;
    out.md_cited += it->second;
    out.both_cited += it->second && w.cited;
  }
  if (out.common > 0) out.cited = static_cast<double>(agree) / static_cast<double>(out.common);
  const size_t total = pdf.claims.size() + md.claims.size();
  if (total > 0) {
    size_t matched = 0;
    for (const auto& a : pdf.claims)
      for (const auto& b : md.claims)
        if (TokenF1(a.claim.text, b.claim.text) >= 0.8) {
          ++matched;
          break;
        }
    for (const auto& b : md.claims)
      for (const auto& a : pdf.claims)
        if (TokenF1(a.claim.text, b.claim.text) >= 0.8) {
          ++matched;
          break;
        }
    out.claims = static_cast<double>(matched) / static_cast<double>(total);
  }
  return out;
}

struct Options {
  std::string corpus, index, long_pdf, details;
  int passes = 3;
};

// The best of `passes` reads of one PDF, in milliseconds; the last parse in `out`.
double TimedRead(const std::string& bytes, const std::string& name, int passes,
                 novelta::StatusOr<novelta::Submission>* out) {
  double best = 1e18;
  for (int i = 0; i < passes; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    *out = novelta::ParsePdfSubmission(bytes, name);
    best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

struct Totals {
  size_t papers = 0, failed = 0, compared = 0, cited_papers = 0, md_cited = 0, both_cited = 0;
  double title = 0, abstract = 0, headings = 0, references = 0, cited = 0, claims = 0, ms = 0, max_ms = 0;
  double md_title = 0, md_abstract = 0, md_headings = 0, md_references = 0;
  size_t pages = 0;

  Json ToJson(const std::string& layout) const {
    auto mean = [](double sum, size_t n) { return n == 0 ? 0.0 : sum / static_cast<double>(n); };
    Json j = {{"layout", layout}, {"papers", papers}, {"failed", failed},
              {"title_exact", mean(title, papers)}, {"abstract_f1", mean(abstract, papers)},
              {"headings_found", mean(headings, papers)}, {"references_found", mean(references, papers)},
              {"ms_per_paper", mean(ms, papers)}, {"ms_per_page", pages == 0 ? 0.0 : ms / pages},
              {"max_ms", max_ms}};
    if (compared > 0) {
      j["cited_agreement"] = mean(cited, cited_papers);
      // Of the related works the Markdown path marks cited, the share the PDF path marks cited too.
      j["cited_recall"] = md_cited == 0 ? 0.0 : static_cast<double>(both_cited) / static_cast<double>(md_cited);
      j["claims_overlap"] = mean(claims, compared);
      j["markdown_path"] = {{"title_exact", mean(md_title, compared)},
                            {"abstract_f1", mean(md_abstract, compared)},
                            {"headings_found", mean(md_headings, compared)},
                            {"references_found", mean(md_references, compared)}};
    }
    return j;
  }
};

void Add(Totals* t, const Scores& s, double ms, size_t pages) {
  ++t->papers;
  t->title += s.title, t->abstract += s.abstract, t->headings += s.headings, t->references += s.references;
  t->ms += ms, t->max_ms = std::max(t->max_ms, ms), t->pages += pages;
}

int Run(const Options& o) {
  std::unique_ptr<novelta::Assessor> assessor;
  if (!o.index.empty()) {
    auto opened = novelta::OpenAssessor(o.index);
    if (!opened.ok()) {
      std::fprintf(stderr, "pdf_bench: %s\n", opened.status().ToString().c_str());
      return 1;
    }
    assessor = std::move(*opened);
  }
  std::ofstream details;
  if (!o.details.empty()) details.open(o.details);
  std::map<std::string, Totals> by_layout;
  std::vector<fs::path> pdfs;
  for (const auto& e : fs::recursive_directory_iterator(o.corpus))
    if (e.path().extension() == ".pdf" && e.path().parent_path().filename() != "long") pdfs.push_back(e.path());
  std::sort(pdfs.begin(), pdfs.end());
  for (const fs::path& pdf : pdfs) {
    fs::path stem = pdf;
    stem.replace_extension();
    if (!fs::exists(stem.string() + ".truth.json") || !fs::exists(stem.string() + ".md")) continue;
    Json truth = Json::parse(ReadFile(stem.string() + ".truth.json"));
    const std::string layout = truth.value("layout", pdf.parent_path().filename().string());
    Totals& t = by_layout[layout];
    novelta::StatusOr<novelta::Submission> sub = novelta::Status::Internal("not read");
    const double ms = TimedRead(ReadFile(pdf), pdf.filename().string(), o.passes, &sub);
    Json d = {{"pdf", pdf.string()}, {"ms", ms}};
    if (!sub.ok()) {
      ++t.failed;
      d["error"] = sub.status().ToString();
      if (details.is_open()) details << d.dump() << "\n";
      continue;
    }
    const Scores s = Score(*sub, truth);
    Add(&t, s, ms, truth.value("pages", 1));
    d.update({{"title", s.title}, {"abstract", s.abstract}, {"headings", s.headings}, {"references", s.references},
              {"title_read", sub->title}, {"missing_headings", s.missing_headings}});
    if (assessor != nullptr) {
      auto md = novelta::ParseMarkdownSubmission(ReadFile(stem.string() + ".md"), stem.filename().string() + ".md");
      if (md.ok()) {
        const Scores m = Score(*md, truth);
        novelta::AssessParams params;
        auto a = assessor->Assess(*sub, params);
        auto b = assessor->Assess(*md, params);
        if (a.ok() && b.ok()) {
          Compared c = Compare(*a, *b);
          ++t.compared;
          t.md_title += m.title, t.md_abstract += m.abstract, t.md_headings += m.headings;
          t.md_references += m.references;
          t.claims += c.claims < 0 ? 1 : c.claims;
          if (c.cited >= 0) t.cited += c.cited, ++t.cited_papers;
          t.md_cited += c.md_cited, t.both_cited += c.both_cited;
          d.update({{"cited", c.cited}, {"claims", c.claims}, {"related_in_common", c.common}});
        }
      }
    }
    if (details.is_open()) details << d.dump() << "\n";
  }
  Totals all;
  for (const auto& [layout, t] : by_layout) {
    std::printf("%s\n", t.ToJson(layout).dump().c_str());
    all.papers += t.papers, all.failed += t.failed, all.compared += t.compared, all.cited_papers += t.cited_papers;
    all.md_cited += t.md_cited, all.both_cited += t.both_cited;
    all.title += t.title, all.abstract += t.abstract, all.headings += t.headings, all.references += t.references;
    all.cited += t.cited, all.claims += t.claims, all.ms += t.ms, all.max_ms = std::max(all.max_ms, t.max_ms);
    all.md_title += t.md_title, all.md_abstract += t.md_abstract, all.md_headings += t.md_headings;
    all.md_references += t.md_references, all.pages += t.pages;
  }
  std::printf("%s\n", all.ToJson("all").dump().c_str());
  if (!o.long_pdf.empty()) {
    novelta::StatusOr<novelta::Submission> sub = novelta::Status::Internal("not read");
    const std::string bytes = ReadFile(o.long_pdf);
    const double ms = TimedRead(bytes, fs::path(o.long_pdf).filename().string(), o.passes, &sub);
    Json j = {{"long_pdf", o.long_pdf}, {"ok", sub.ok()}, {"ms", ms}, {"bytes", bytes.size()}};
    if (sub.ok()) j["sections"] = sub->sections.size(), j["references"] = sub->references.size();
    std::printf("%s\n", j.dump().c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "pdf_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--corpus") o.corpus = value();
    else if (a == "--index") o.index = value();
    else if (a == "--long") o.long_pdf = value();
    else if (a == "--details") o.details = value();
    else if (a == "--passes") o.passes = std::max(1, std::atoi(value().c_str()));
    else {
      std::fprintf(stderr, "pdf_bench: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (o.corpus.empty()) {
    std::fprintf(stderr, "usage: pdf_bench --corpus DIR [--index DIR] [--passes N] [--long FILE] [--details FILE]\n");
    return 2;
  }
  return Run(o);
}
