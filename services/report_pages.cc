#include "services/report_pages.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>
#include <vector>

#include "base/text.h"

namespace novelta {
namespace {

using TermSet = std::set<std::string>;

// Content words worth highlighting: not stopwords, and longer than one
// character unless numeric ("3" alone is noise, "3d" is not).
bool IsContentWord(const std::string& lower) {
  if (lower.empty() || IsStopword(lower)) return false;
  return lower.size() > 1;
}

TermSet ContentWords(std::string_view text) {
  TermSet out;
  for (auto& t : WordTokens(text)) {
    if (IsContentWord(t)) out.insert(t);
  }
  return out;
}

// Terms the claim and one quote share: the comparer's own list (split into
// words) plus the content words both texts contain.
TermSet SharedTerms(const Claim& claim, const Evidence& e) {
  TermSet shared;
  for (const auto& term : e.shared_terms) {
    for (auto& t : WordTokens(term)) {
      if (IsContentWord(t)) shared.insert(t);
    }
  }
  TermSet claim_words = ContentWords(claim.text);
  for (auto& t : ContentWords(e.quote)) {
    if (claim_words.count(t)) shared.insert(t);
  }
  return shared;
}

std::string FormatFixed(double value, int decimals) {
  if (!std::isfinite(value)) value = 0;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, value);
  return buf;
}

std::string Percent(double fraction) {
  double clamped = std::clamp(std::isfinite(fraction) ? fraction : 0.0, 0.0, 1.0);
  return FormatFixed(clamped * 100.0, 0);
}

// Splits `text` into runs of highlighted (shared) and plain tokens; `plain`
// receives text between highlighted words, `marked` each highlighted word.
template <typename PlainFn, typename MarkFn>
void ForEachRun(std::string_view text, const TermSet& terms, PlainFn plain, MarkFn marked) {
  size_t pos = 0;
  for (const auto& span : WordTokenSpans(text)) {
    if (!terms.count(span.token)) continue;
    if (span.begin > pos) plain(text.substr(pos, span.begin - pos));
    marked(text.substr(span.begin, span.end - span.begin));
    pos = span.end;
  }
  if (pos < text.size()) plain(text.substr(pos));
}

std::string HighlightHtml(std::string_view text, const TermSet& terms) {
  // Highlighted words joined only by spaces or hyphens ("semi-supervised
  // learning") become one mark, so a shared phrase reads as one.
  std::vector<std::pair<bool, std::string_view>> runs;  // (marked, text)
  ForEachRun(
      text, terms, [&](std::string_view s) { runs.emplace_back(false, s); },
      [&](std::string_view s) { runs.emplace_back(true, s); });
  auto joiner = [](std::string_view s) {
    return !s.empty() && s.size() <= 3 && s.find_first_not_of(" -") == std::string_view::npos;
  };
  std::string out;
  bool open = false;
  for (size_t i = 0; i < runs.size(); ++i) {
    const auto& [marked, piece] = runs[i];
    bool joins = !marked && open && joiner(piece) && i + 1 < runs.size() && runs[i + 1].first;
    if ((marked || joins) && !open) {
      out += "<mark>";
      open = true;
    } else if (!marked && !joins && open) {
      out += "</mark>";
      open = false;
    }
    out += HtmlEscape(piece);
  }
  if (open) out += "</mark>";
  return out;
}

// Backslash-escapes characters CommonMark interprets anywhere in a line;
// line breaks become spaces so a piece can never start a new block.
std::string EscapeMarkdownChars(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>':
      case '&': case '|': case '~': case '#': case '!':
        out += '\\';
        out += c;
        break;
      case '\n': case '\r': case '\t': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

// Escapes what starts a list item or heading underline only at the beginning
// of a line ("- x", "+ x", "= x", "12. x", "3) x").
std::string EscapeMarkdownLineStart(std::string out) {
  if (!out.empty() && (out[0] == '-' || out[0] == '+' || out[0] == '=')) out.insert(0, "\\");
  size_t digits = 0;
  while (digits < out.size() && out[digits] >= '0' && out[digits] <= '9') ++digits;
  if (digits > 0 && digits < out.size() && (out[digits] == '.' || out[digits] == ')')) {
    out.insert(digits, "\\");
  }
  return out;
}

std::string HighlightMarkdown(std::string_view text, const TermSet& terms) {
  std::string collapsed = CollapseWhitespace(text);
  std::string out;
  ForEachRun(
      collapsed, terms, [&](std::string_view s) { out += EscapeMarkdownChars(s); },
      [&](std::string_view s) {
        out += "**";
        out += EscapeMarkdownChars(s);
        out += "**";
      });
  return EscapeMarkdownLineStart(std::move(out));
}

const char* VerdictLabel(Verdict v) {
  switch (v) {
    case Verdict::kNovel: return "Novel";
    case Verdict::kPartiallyAnticipated: return "Partially anticipated";
    case Verdict::kAnticipated: return "Anticipated";
  }
  return "Unknown";
}

const char* ConclusionLabel(Conclusion c) {
  switch (c) {
    case Conclusion::kNovel: return "Novel";
    case Conclusion::kIncremental: return "Incremental";
    case Conclusion::kNotNovel: return "Not novel";
  }
  return "Unknown";
}

// "Title (2021, NeurIPS)" pieces that are known.
std::string YearVenue(int year, const std::string& venue) {
  std::string out;
  if (year > 0) out = std::to_string(year);
  std::string v = CollapseWhitespace(venue);
  if (!v.empty()) out += out.empty() ? v : ", " + v;
  return out;
}

std::string DisplayTitle(const std::string& title) {
  std::string t = CollapseWhitespace(title);
  return t.empty() ? "(untitled)" : t;
}

size_t CountUncited(const NoveltyReport& r) {
  return static_cast<size_t>(std::count_if(r.related_work.begin(), r.related_work.end(),
                                           [](const PriorWork& p) { return !p.cited; }));
}

constexpr const char* kCss = R"css(
:root{--ink:#1d2430;--muted:#5b6675;--line:#d7dde5;--paper:#fff;--soft:#f5f7fa;
--novel:#1b7f3b;--partial:#a86400;--anticipated:#b3261e;--mark:#fff0a8}
*{box-sizing:border-box}
body{margin:0;background:var(--soft);color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px;background:var(--paper)}
h1{font-size:1.6em;line-height:1.25;margin:.2em 0 .4em}
h2{font-size:1.25em;border-bottom:2px solid var(--line);padding-bottom:.2em;margin-top:1.8em}
h3{font-size:1.05em;margin:0 0 .4em}
.meta{color:var(--muted);font-size:.9em;margin:0}
.meta span{margin-right:1.2em}
.summary{display:flex;flex-wrap:wrap;gap:24px;align-items:center;border:1px solid var(--line);border-radius:8px;padding:16px;margin:16px 0}
.score{font-size:2.2em;font-weight:700}
.meter{width:220px;height:10px;background:var(--line);border-radius:5px;overflow:hidden}
.meter>div{height:100%;background:var(--novel)}
.badge{display:inline-block;padding:.1em .6em;border-radius:999px;font-size:.85em;font-weight:600;color:#fff;white-space:nowrap;border:1px solid transparent}
.v-novel{background:var(--novel)}.v-partially_anticipated{background:var(--partial)}.v-anticipated{background:var(--anticipated)}
.c-novel{background:var(--novel)}.c-incremental{background:var(--partial)}.c-not_novel{background:var(--anticipated)}
.cited{background:#e7ecf2;color:var(--ink)}
.uncited{background:#fde7e4;color:var(--anticipated);border-color:var(--anticipated)}
.claim{border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:14px 0;break-inside:avoid}
.claim-head{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin-bottom:6px}
.claim-id{font-family:ui-monospace,monospace;color:var(--muted)}
.claim-text{font-size:1.05em;margin:.3em 0 .6em}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:12px;margin:10px 0;padding-top:10px;border-top:1px dashed var(--line);break-inside:avoid}
.pair blockquote{margin:0;padding:6px 12px;border-left:4px solid var(--line);background:var(--soft)}
.pair .label{font-size:.8em;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin-bottom:2px}
.source{font-size:.88em;color:var(--muted);margin-top:4px}
mark{background:var(--mark);color:inherit;padding:0 .1em;border-radius:2px}
table{border-collapse:collapse;width:100%;font-size:.93em}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{background:var(--soft)}
tr.uncited-row td{background:#fff8f6}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.warnings{border-left:4px solid var(--partial);background:#fff8ec;padding:8px 14px}
footer{color:var(--muted);font-size:.85em;margin-top:2em;border-top:1px solid var(--line);padding-top:8px}
@media (max-width:700px){.pair{grid-template-columns:1fr}}
@media print{
body{background:#fff;font-size:10.5pt}
main{max-width:none;padding:0}
.badge{color:#000!important;background:#fff!important;border:1px solid #000}
.meter{border:1px solid #000}.meter>div{background:#000}
mark{background:none;font-weight:700;text-decoration:underline}
.claim,.pair,tr{break-inside:avoid;page-break-inside:avoid}
h2{break-after:avoid;page-break-after:avoid}
}
)css";

void RenderEvidenceHtml(const Claim& claim, const Evidence& e, std::ostringstream& out) {
  TermSet shared = SharedTerms(claim, e);
  out << "<div class=\"pair\">\n<div><div class=\"label\">Claim</div>"
      << HighlightHtml(claim.text, shared) << "</div>\n"
      << "<div><div class=\"label\">Prior passage</div><blockquote>"
      << HighlightHtml(e.quote, shared) << "</blockquote>\n<div class=\"source\">"
      << HtmlEscape(DisplayTitle(e.title));
  std::string yv = YearVenue(e.year, e.venue);
  if (!yv.empty()) out << " (" << HtmlEscape(yv) << ")";
  out << " &middot; <code>" << HtmlEscape(e.prior_id) << "</code> &middot; similarity "
      << FormatFixed(e.similarity, 2);
  if (!shared.empty()) {
    out << " &middot; shared terms: ";
    bool first = true;
    for (const auto& t : shared) {
      out << (first ? "" : ", ") << HtmlEscape(t);
      first = false;
    }
  }
  out << "</div></div>\n</div>\n";
}

}  // namespace

std::string MarkdownEscapeInline(std::string_view text) {
  return EscapeMarkdownLineStart(EscapeMarkdownChars(CollapseWhitespace(text)));
}

std::string RenderReportHtml(const NoveltyReport& r) {
  std::ostringstream out;
  const std::string title = DisplayTitle(r.submission.title);
  const char* conclusion = ConclusionName(r.conclusion);
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta name=\"robots\" content=\"noindex\">\n"
      << "<title>Novelty report: " << HtmlEscape(title) << "</title>\n<style>" << kCss
      << "</style>\n</head>\n<body>\n<main>\n<header>\n<p class=\"meta\">Novelty report</p>\n"
      << "<h1>" << HtmlEscape(title) << "</h1>\n<p class=\"meta\">";
  if (!r.submission.id.empty()) out << "<span>ID: " << HtmlEscape(r.submission.id) << "</span>";
  if (r.submission.submitted.known()) {
    out << "<span>Submitted: " << HtmlEscape(r.submission.submitted.ToString()) << "</span>";
  }
  if (r.cutoff.known()) {
    out << "<span>Prior work before: " << HtmlEscape(r.cutoff.ToString()) << "</span>";
  }
  out << "</p>\n</header>\n";

  // Summary: conclusion, score and reasoning.
  out << "<section class=\"summary\" aria-label=\"Summary\">\n<div><div class=\"meta\">Conclusion</div>"
      << "<span class=\"badge c-" << conclusion << "\">" << ConclusionLabel(r.conclusion)
      << "</span></div>\n<div><div class=\"meta\">Novelty score</div><div class=\"score\">"
      << FormatFixed(r.novelty_score, 2) << "</div><div class=\"meter\" role=\"img\" aria-label=\""
      << Percent(r.novelty_score) << "% novel\"><div style=\"width:" << Percent(r.novelty_score)
      << "%\"></div></div></div>\n<div><div class=\"meta\">Claims</div><div class=\"score\">"
      << r.claims.size() << "</div></div>\n<div><div class=\"meta\">Related works not cited</div>"
      << "<div class=\"score\">" << CountUncited(r) << " / " << r.related_work.size()
      << "</div></div>\n</section>\n";

  out << "<section>\n<h2>Reasoning</h2>\n";
  if (!r.reasoning_sentences.empty()) {
    out << "<p>";
    for (const auto& s : r.reasoning_sentences) out << HtmlEscape(s.text) << " ";
    out << "</p>\n";
  } else if (!r.reasoning.empty()) {
    out << "<p>" << HtmlEscape(r.reasoning) << "</p>\n";
  } else {
    out << "<p class=\"meta\">No reasoning was recorded.</p>\n";
  }
  if (!r.warnings.empty()) {
    out << "<div class=\"warnings\"><strong>Warnings</strong><ul>\n";
    for (const auto& w : r.warnings) out << "<li>" << HtmlEscape(w) << "</li>\n";
    out << "</ul></div>\n";
  }
  out << "</section>\n";

  out << "<section>\n<h2>Claims</h2>\n";
  if (r.claims.empty()) out << "<p class=\"meta\">No claims were found in the submission.</p>\n";
  for (const auto& ac : r.claims) {
    const Claim& c = ac.claim;
    const ClaimVerdict& v = ac.verdict;
    out << "<article class=\"claim\" id=\"claim-" << HtmlEscape(c.id) << "\">\n<div class=\"claim-head\">"
        << "<span class=\"claim-id\">" << HtmlEscape(c.id) << "</span>"
        << "<span class=\"badge v-" << VerdictName(v.verdict) << "\">" << VerdictLabel(v.verdict)
        << "</span><span class=\"meta\">" << ClaimTypeName(c.type) << " &middot; confidence "
        << FormatFixed(v.confidence, 2) << " &middot; closest similarity "
        << FormatFixed(v.max_similarity, 2) << "</span></div>\n";
    TermSet all_shared;
    for (const auto& e : v.evidence) {
      TermSet s = SharedTerms(c, e);
      all_shared.insert(s.begin(), s.end());
    }
    out << "<p class=\"claim-text\">" << HighlightHtml(c.text, all_shared) << "</p>\n";
    if (v.evidence.empty()) {
      out << "<p class=\"meta\">No close prior passage was found.</p>\n";
    }
    for (const auto& e : v.evidence) RenderEvidenceHtml(c, e, out);
    out << "</article>\n";
  }
  out << "</section>\n";

  out << "<section>\n<h2>Related work</h2>\n";
  if (r.related_work.empty()) {
    out << "<p class=\"meta\">No related prior work was retrieved.</p>\n";
  } else {
    out << "<table>\n<thead><tr><th class=\"num\">#</th><th>Title</th><th>Year</th><th>Venue</th>"
        << "<th class=\"num\">Score</th><th>Cited by the submission</th><th>Found by</th></tr></thead>\n<tbody>\n";
    int rank = 0;
    for (const auto& p : r.related_work) {
      ++rank;
      out << "<tr" << (p.cited ? "" : " class=\"uncited-row\"") << "><td class=\"num\">" << rank
          << "</td><td>" << HtmlEscape(DisplayTitle(p.title)) << "<div class=\"source\"><code>"
          << HtmlEscape(p.id) << "</code></div></td><td>"
          << (p.year > 0 ? std::to_string(p.year) : "&ndash;") << "</td><td>"
          << (p.venue.empty() ? "&ndash;" : HtmlEscape(p.venue)) << "</td><td class=\"num\">"
          << FormatFixed(p.score, 3) << "</td><td>"
          << (p.cited ? "<span class=\"badge cited\">cited</span>"
                      : "<span class=\"badge uncited\">not cited</span>")
          << "</td><td>";
      for (size_t i = 0; i < p.matched_by.size(); ++i) {
        out << (i ? ", " : "") << HtmlEscape(p.matched_by[i]);
      }
      out << "</td></tr>\n";
    }
    out << "</tbody>\n</table>\n";
  }
  out << "</section>\n<footer>";
  if (!r.index_id.empty()) out << "Index " << HtmlEscape(r.index_id) << " &middot; ";
  out << "report schema " << NoveltyReport::kSchemaVersion;
  auto total = r.timing_ms.find("total");
  if (total != r.timing_ms.end()) out << " &middot; assessed in " << FormatFixed(total->second, 0) << " ms";
  out << "</footer>\n</main>\n</body>\n</html>\n";
  return out.str();
}

std::string RenderReportMarkdown(const NoveltyReport& r) {
  std::ostringstream out;
  out << "# Novelty report: " << MarkdownEscapeInline(DisplayTitle(r.submission.title)) << "\n\n";
  if (!r.submission.id.empty()) out << "- ID: " << MarkdownEscapeInline(r.submission.id) << "\n";
  if (r.submission.submitted.known()) out << "- Submitted: " << r.submission.submitted.ToString() << "\n";
  if (r.cutoff.known()) out << "- Prior work before: " << r.cutoff.ToString() << "\n";
  out << "- **Conclusion: " << ConclusionLabel(r.conclusion) << "**\n"
      << "- Novelty score: " << FormatFixed(r.novelty_score, 2) << "\n"
      << "- Related works not cited by the submission: " << CountUncited(r) << " of "
      << r.related_work.size() << "\n\n";

  out << "## Reasoning\n\n";
  if (!r.reasoning_sentences.empty()) {
    for (size_t i = 0; i < r.reasoning_sentences.size(); ++i) {
      out << (i ? " " : "") << MarkdownEscapeInline(r.reasoning_sentences[i].text);
    }
    out << "\n\n";
  } else if (!r.reasoning.empty()) {
    out << MarkdownEscapeInline(r.reasoning) << "\n\n";
  } else {
    out << "No reasoning was recorded.\n\n";
  }
  if (!r.warnings.empty()) {
    out << "**Warnings**\n\n";
    for (const auto& w : r.warnings) out << "- " << MarkdownEscapeInline(w) << "\n";
    out << "\n";
  }

  out << "## Claims\n\n";
  if (r.claims.empty()) out << "No claims were found in the submission.\n\n";
  for (const auto& ac : r.claims) {
    const Claim& c = ac.claim;
    const ClaimVerdict& v = ac.verdict;
    TermSet all_shared;
    for (const auto& e : v.evidence) {
      TermSet s = SharedTerms(c, e);
      all_shared.insert(s.begin(), s.end());
    }
    out << "### " << MarkdownEscapeInline(c.id) << ": " << VerdictLabel(v.verdict) << "\n\n"
        << "*" << ClaimTypeName(c.type) << ", confidence " << FormatFixed(v.confidence, 2)
        << ", closest similarity " << FormatFixed(v.max_similarity, 2) << "*\n\n"
        << HighlightMarkdown(c.text, all_shared) << "\n\n";
    if (v.evidence.empty()) out << "No close prior passage was found.\n\n";
    for (const auto& e : v.evidence) {
      TermSet shared = SharedTerms(c, e);
      out << "> " << HighlightMarkdown(e.quote, shared) << "\n>\n> — "
          << MarkdownEscapeInline(DisplayTitle(e.title));
      std::string yv = YearVenue(e.year, e.venue);
      if (!yv.empty()) out << " (" << MarkdownEscapeInline(yv) << ")";
      out << ", " << MarkdownEscapeInline(e.prior_id) << ", similarity " << FormatFixed(e.similarity, 2)
          << "\n\n";
      if (!shared.empty()) {
        out << "Shared terms: ";
        bool first = true;
        for (const auto& t : shared) {
          out << (first ? "" : ", ") << MarkdownEscapeInline(t);
          first = false;
        }
        out << "\n\n";
      }
    }
  }

  out << "## Related work\n\n";
  if (r.related_work.empty()) {
    out << "No related prior work was retrieved.\n\n";
  } else {
    out << "| # | Title | Year | Venue | Score | Cited by the submission |\n"
        << "|---:|---|---|---|---:|---|\n";
    int rank = 0;
    for (const auto& p : r.related_work) {
      out << "| " << ++rank << " | " << MarkdownEscapeInline(DisplayTitle(p.title)) << " | "
          << (p.year > 0 ? std::to_string(p.year) : "–") << " | "
          << (p.venue.empty() ? "–" : MarkdownEscapeInline(p.venue)) << " | " << FormatFixed(p.score, 3)
          << " | " << (p.cited ? "cited" : "**not cited**") << " |\n";
    }
    out << "\n";
  }
  if (!r.index_id.empty()) out << "*Index " << MarkdownEscapeInline(r.index_id) << ", report schema "
                               << NoveltyReport::kSchemaVersion << "*\n";
  return out.str();
}

}  // namespace novelta
