#include "base/text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_set>

namespace novelta {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid.
size_t Utf8SeqLen(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t len;
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
  else return 0;
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
      cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

bool IsWordByte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

}  // namespace

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = Utf8SeqLen(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string SanitizeUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = Utf8SeqLen(s, i);
    if (n == 0 || s[i] == '\0') {
      out += "\xEF\xBF\xBD";
      i += 1;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

double BinaryGarbageRatio(std::string_view s) {
  if (s.empty()) return 0;
  size_t bad = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = Utf8SeqLen(s, i);
    if (n == 0) { ++bad; ++i; continue; }
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++bad;
    i += n;
  }
  return static_cast<double>(bad) / s.size();
}

std::string ToLowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view x) {
  return s.size() >= x.size() && s.substr(s.size() - x.size()) == x;
}

std::string CollapseWhitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : Trim(s)) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
    } else {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::vector<TokenSpan> WordTokenSpans(std::string_view s) {
  std::vector<TokenSpan> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !IsWordByte(static_cast<unsigned char>(s[i]))) ++i;
    size_t b = i;
    while (i < s.size() && IsWordByte(static_cast<unsigned char>(s[i]))) ++i;
    if (i > b) out.push_back({ToLowerAscii(s.substr(b, i - b)), b, i});
  }
  return out;
}

std::vector<std::string> WordTokens(std::string_view s) {
  std::vector<std::string> out;
  for (auto& t : WordTokenSpans(s)) out.push_back(std::move(t.token));
  return out;
}

bool IsStopword(std::string_view w) {
  static const std::unordered_set<std::string_view> kStop = {
      "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "for", "with", "by",
      "at", "from", "as", "is", "are", "was", "were", "be", "been", "being", "this", "that",
      "these", "those", "it", "its", "we", "our", "us", "they", "their", "them", "which", "who",
      "whom", "what", "when", "where", "how", "than", "then", "so", "such", "can", "could",
      "may", "might", "will", "would", "should", "shall", "do", "does", "did", "has", "have",
      "had", "not", "no", "nor", "into", "onto", "over", "under", "between", "through", "via",
      "also", "both", "each", "more", "most", "other", "some", "any", "all", "only", "own",
      "same", "very", "there", "here", "while", "about", "above", "below", "up", "down", "out",
      "off", "again", "further", "once", "i", "you", "he", "she", "his", "her", "my", "your",
      "one", "two", "new", "based", "using", "use", "used", "paper", "show", "propose",
      "proposed", "approach", "method", "methods", "results", "work", "however", "well",
      "many", "much", "even", "since", "because", "although", "without", "within", "across",
      "among", "e", "g", "et", "al", "i.e", "via", "whether", "thus", "therefore", "s"};
  return kStop.count(w) > 0;
}

std::string TextForMatching(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      size_t j = i + 1;
      while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
      if (j > i + 1) {  // a command: drop it whole
        out += ' ';
        i = j - 1;
        continue;
      }
      out += ' ';
      continue;
    }
    if (c == '$' || c == '{' || c == '}' || c == '^' || c == '_') {
      out += ' ';
      continue;
    }
    out += c;
  }
  return out;
}

bool LooksCoined(std::string_view token) {
  for (size_t i = 0; i < token.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(token[i]);
    if (std::isdigit(c) || (i > 0 && std::isupper(c))) return true;
  }
  return false;
}

std::vector<TokenSpan> NameTokens(std::string_view text) {
  auto name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.';
  };
  std::vector<TokenSpan> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !name_char(text[i])) ++i;
    size_t begin = i;
    while (i < text.size() && name_char(text[i])) ++i;
    size_t end = i;
    while (end > begin && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
    while (begin < end && !std::isalnum(static_cast<unsigned char>(text[begin]))) ++begin;
    if (begin < end) out.push_back({std::string(text.substr(begin, end - begin)), begin, end});
  }
  return out;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<std::string> ContentStems(std::string_view text) {
  std::vector<std::string> out;
  for (auto& w : WordTokens(TextForMatching(text))) {
    if (w.size() < 3 || IsStopword(w)) continue;
    if (w.size() > 6) w.resize(6);
    out.push_back(std::move(w));
  }
  return out;
}

std::string LogSafe(std::string_view text, size_t max_bytes) {
  std::string out;
  const bool cut = text.size() > max_bytes;
  if (cut) text = text.substr(0, max_bytes);
  out.reserve(text.size());
  static const char kHex[] = "0123456789abcdef";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '\\' || c == '"') {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  if (cut) out += "...";
  return out;
}

std::string NormalizeTitle(std::string_view title) {
  std::string out;
  for (const auto& w : WordTokens(title)) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

double TitleSimilarity(std::string_view a, std::string_view b) {
  auto wa = WordTokens(a), wb = WordTokens(b);
  std::sort(wa.begin(), wa.end());
  wa.erase(std::unique(wa.begin(), wa.end()), wa.end());
  std::sort(wb.begin(), wb.end());
  wb.erase(std::unique(wb.begin(), wb.end()), wb.end());
  if (wa.empty() || wb.empty()) return 0;
  std::vector<std::string> inter;
  std::set_intersection(wa.begin(), wa.end(), wb.begin(), wb.end(), std::back_inserter(inter));
  double uni = static_cast<double>(wa.size() + wb.size() - inter.size());
  return inter.size() / uni;
}

TitleMatcher::TitleMatcher(std::string_view title, double threshold)
    : title_(title), threshold_(threshold) {
  auto words = WordTokens(title);
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  if (words.empty() || threshold <= 0) return;  // no cheap refusal is sound
  // Jaccard >= t needs at least t * |A| of A's words in B, so at most
  // |A| - ceil(t * |A|) of them are missing: any one more than that, one must be present.
  const size_t need = static_cast<size_t>(std::ceil(threshold * words.size() - 1e-9));
  const size_t pick = words.size() - std::min(need, words.size()) + 1;
  std::stable_sort(words.begin(), words.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  words.resize(std::min(pick, words.size()));
  must_have_one_ = std::move(words);
}

bool TitleMatcher::Matches(std::string_view other) const {
  if (!must_have_one_.empty()) {
    // A word of `other` is a lower-cased substring of it, so a word absent
    // from the lower-cased text cannot be among its words.
    char buf[512];
    if (other.size() <= sizeof(buf)) {
      for (size_t i = 0; i < other.size(); ++i)
        buf[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(other[i])));
      std::string_view lower(buf, other.size());
      bool any = false;
      for (const auto& w : must_have_one_)
        if (lower.find(w) != std::string_view::npos) { any = true; break; }
      if (!any) return false;
    }
  }
  return TitleSimilarity(title_, other) >= threshold_;
}

}  // namespace novelta
