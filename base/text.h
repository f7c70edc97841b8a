// Small text utilities shared by every stage: UTF-8 hygiene, word tokens,
// title normalisation and stopwords.
#ifndef NOVELTA_BASE_TEXT_H_
#define NOVELTA_BASE_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

namespace novelta {

bool IsValidUtf8(std::string_view s);
// Replaces invalid UTF-8 sequences and NUL bytes with U+FFFD so that the text
// can be stored and serialised as JSON safely.
std::string SanitizeUtf8(std::string_view s);
// Share of bytes that are control characters other than \t \n \r, or invalid
// UTF-8: a cheap test for binary garbage.
double BinaryGarbageRatio(std::string_view s);

std::string ToLowerAscii(std::string_view s);
std::string_view Trim(std::string_view s);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
// Collapses runs of white space to one space and trims.
std::string CollapseWhitespace(std::string_view s);

// Lower-cased alphanumeric words (bytes >= 0x80 count as word characters, so
// accented words stay whole). "GPT-4's 2x speed-up" -> {"gpt","4","s","2x","speed","up"}.
std::vector<std::string> WordTokens(std::string_view s);
// Like WordTokens, but also returns each token's byte range in `s`.
struct TokenSpan {
  std::string token;
  size_t begin;
  size_t end;
};
std::vector<TokenSpan> WordTokenSpans(std::string_view s);
bool IsStopword(std::string_view lower_word);

// The words of `s` for matching one text against another: LaTeX commands
// ("\\varepsilon", "\\mathcal") and math punctuation ($ { } ^ _) are dropped,
// because notation shared by two papers says nothing about shared ideas.
std::string TextForMatching(std::string_view s);

// A token that reads as a coined name rather than a word: an upper-case
// letter after its first character ("BERT", "ResNet", "LoRA") or a digit ("T5").
bool LooksCoined(std::string_view token);
// The whole tokens of `text` made of letters, digits, '-', '+' and '.', as
// names are written ("GPT-4", "ResNet-50", "GPT-3.5"), with their byte
// ranges; a trailing '.' or '-' (the end of a sentence) is not part of a token.
std::vector<TokenSpan> NameTokens(std::string_view text);

// The content words of TextForMatching(text) — three letters or more, not
// stopwords — cut to their first six letters, a cheap stem under which
// "achieve" / "achieving" and "algorithm" / "algorithms" are one; in order.
std::vector<std::string> ContentStems(std::string_view text);

// Escapes & < > " ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

// Text from a request, fit for one log line: control bytes (CR, LF, tab,
// NUL, DEL ...), backslashes and double quotes written as \xNN, so a client
// cannot break the line or forge another; cut at `max_bytes` with "...".
std::string LogSafe(std::string_view text, size_t max_bytes = 200);

// "Attention Is All You Need!" -> "attention is all you need".
std::string NormalizeTitle(std::string_view title);
// Jaccard similarity of the word sets of two normalised titles, in [0,1].
double TitleSimilarity(std::string_view a, std::string_view b);

// TitleSimilarity of many titles against one fixed title, for filters that
// check thousands of candidates: the fixed title is tokenized once, and a
// candidate that lacks every one of the fixed title's longest words (enough
// of them that a match must contain one) is refused without tokenizing it.
//
// Thread-safety: immutable after construction; Matches may be called concurrently.
class TitleMatcher {
 public:
  TitleMatcher(std::string_view title, double threshold);
  // Whether TitleSimilarity(title, other) >= threshold.
  bool Matches(std::string_view other) const;

 private:
  std::string title_;
  double threshold_;
  std::vector<std::string> must_have_one_;  // a match contains at least one of these
};

}  // namespace novelta

#endif  // NOVELTA_BASE_TEXT_H_
