// Report pages: a NoveltyReport rendered for people, as a self-contained HTML
// page (inline CSS, no scripts, no external assets, printable) and as Markdown.
//
// Both show the same content: the conclusion, novelty score and reasoning; each
// claim with its verdict and its evidence beside the quoted prior passage (terms
// the claim and the quote share are highlighted); and the related-work list
// with years, venues and whether the submission cites each work, since close
// prior work the authors do not cite is what a reviewer most needs to see.
//
// All submission and corpus text is escaped (HTML entities in the page,
// backslash escapes in Markdown), so hostile titles or abstracts render as text.
//
// Thread-safety: pure functions; safe to call concurrently.
#ifndef NOVELTA_SERVICES_REPORT_PAGES_H_
#define NOVELTA_SERVICES_REPORT_PAGES_H_

#include <string>
#include <string_view>

#include "base/text.h"
#include "novelta/model.h"

namespace novelta {

// A complete HTML5 document (UTF-8).
std::string RenderReportHtml(const NoveltyReport& report);
// A CommonMark document.
std::string RenderReportMarkdown(const NoveltyReport& report);

// HtmlEscape (base/text.h) escapes & < > " ' for text and quoted attributes.
// Escapes characters that CommonMark would interpret inline (emphasis, links,
// code, raw HTML, entities, tables) with backslashes and folds line breaks to
// spaces, so the text stays one literal run of text.
std::string MarkdownEscapeInline(std::string_view text);

}  // namespace novelta

#endif  // NOVELTA_SERVICES_REPORT_PAGES_H_
