// ingest_coverage: how often the full-text analysis finds each part of a
// paper, over a JSON Lines file of records with a Markdown `fulltext` (the
// eval set's format). Titles and abstracts are compared with the record's own
// fields; the same texts are also analysed as plain text with the Markdown
// markers and blank lines removed, as a stand-in for text extracted from PDF.
//
//   ingest_coverage ../shared/data/eval/neurips2025-dev.jsonl.gz
#include <chrono>
#include <cstdio>
#include <map>
#include <string>

#include "base/json.h"
#include "base/line_reader.h"
#include "base/text.h"
#include "pipeline/ingest/ingest.h"
#include "pipeline/ingest/paper_text.h"

namespace novelta {
namespace {

// Markdown without "## " and "- " markers or blank lines: roughly what
// poppler gives for a PDF.
std::string StripToPlainText(std::string_view markdown) {
  std::string plain;
  size_t pos = 0;
  while (pos < markdown.size()) {
    size_t nl = markdown.find('\n', pos);
    if (nl == std::string_view::npos) nl = markdown.size();
    std::string_view line = markdown.substr(pos, nl - pos);
    if (StartsWith(line, "## ")) line.remove_prefix(3);
    if (StartsWith(line, "- ")) line.remove_prefix(2);
    if (!Trim(line).empty()) {
      plain.append(line);
      plain += '\n';
    }
    pos = nl + 1;
  }
  return plain;
}

int Run(const std::string& path) {
  auto reader = LineReader::Open(path);
  if (!reader.ok()) {
    std::fprintf(stderr, "%s\n", reader.status().ToString().c_str());
    return 1;
  }
  std::map<std::string, int> count;
  int papers = 0;
  double parse_seconds = 0;
  double bytes = 0;
  std::string line;
  while ((*reader)->Next(&line)) {
    auto record = ParseJson(line, path + ":" + std::to_string((*reader)->line_number()));
    if (!record.ok() || !record->is_object() || !(*record)["fulltext"].is_string()) continue;
    const Json& j = *record;
    const std::string& fulltext = j["fulltext"].get_ref<const std::string&>();
    std::string title = j.value("title", "");
    std::string abstract = j.value("abstract", "");
    ++papers;

    auto start = std::chrono::steady_clock::now();
    MarkdownPaper p = ParseMarkdownPaper(fulltext);
    parse_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bytes += fulltext.size();
    auto layout = ingest_internal::AnalyzePaper(fulltext, ingest_internal::TextStyle::kMarkdown);

    count["markdown title found"] += !p.title.empty();
    count["markdown title ~ record title (word Jaccard >= 0.8)"] += TitleSimilarity(p.title, title) >= 0.8;
    count["markdown abstract found"] += !p.abstract.empty();
    count["markdown abstract ~ record abstract (word Jaccard >= 0.7)"] += TitleSimilarity(p.abstract, abstract) >= 0.7;
    count["markdown introduction found"] += !p.introduction.empty();
    count["markdown introduction under a heading naming it"] += !p.introduction.empty() && layout.introduction_named;
    count["markdown body found"] += !p.body.empty();
    count["markdown references >= 1"] += !p.references.empty();
    count["markdown references >= 10"] += p.references.size() >= 10;
    count["json record parses"] += ParseSubmissionJsonValue(j, "record").ok();

    auto plain = ParsePlainTextSubmission(StripToPlainText(fulltext), "plain");
    if (plain.ok()) {
      count["plain-text parses"] += 1;
      count["plain-text title ~ record title"] += TitleSimilarity(plain->title, title) >= 0.8;
      count["plain-text abstract ~ record abstract"] += TitleSimilarity(plain->abstract, abstract) >= 0.7;
      count["plain-text introduction found"] += !plain->introduction.empty();
      count["plain-text references >= 10"] += plain->references.size() >= 10;
    }
  }
  if (!(*reader)->status().ok()) std::fprintf(stderr, "%s\n", (*reader)->status().ToString().c_str());
  std::printf("%d papers with full text; ParseMarkdownPaper: %.2f s for %.1f MB (%.3f ms a paper)\n", papers,
              parse_seconds, bytes / 1e6, papers ? 1000 * parse_seconds / papers : 0.0);
  for (const auto& [name, n] : count)
    std::printf("  %-60s %5d  %5.1f%%\n", name.c_str(), n, papers ? 100.0 * n / papers : 0.0);
  return 0;
}

}  // namespace
}  // namespace novelta

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s EVAL.jsonl[.gz]\n", argv[0]);
    return 2;
  }
  return novelta::Run(argv[1]);
}
