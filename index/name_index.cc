#include "index/name_index.h"

#include <algorithm>
#include <cctype>

#include "base/text.h"

namespace novelta {
namespace {

constexpr size_t kMaxNameBytes = 24;
constexpr size_t kMaxNameTokens = 2;

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.';
}

}  // namespace

std::string NameIndex::CoinedName(std::string_view title) {
  size_t colon = title.find(": ");
  if (colon == std::string_view::npos || colon == 0 || colon > kMaxNameBytes) return "";
  std::string_view head = title.substr(0, colon);
  while (!head.empty() && head.front() == ' ') head.remove_prefix(1);
  while (!head.empty() && head.back() == ' ') head.remove_suffix(1);
  if (head.empty() || !std::isalpha(static_cast<unsigned char>(head.front()))) return "";
  // One or two tokens of name characters, nothing else.
  std::vector<std::string_view> tokens;
  size_t pos = 0;
  while (pos < head.size()) {
    size_t space = head.find(' ', pos);
    if (space == std::string_view::npos) space = head.size();
    std::string_view tok = head.substr(pos, space - pos);
    if (tok.empty() || !std::all_of(tok.begin(), tok.end(), IsNameChar)) return "";
    tokens.push_back(tok);
    pos = space + 1;
  }
  if (tokens.empty() || tokens.size() > kMaxNameTokens) return "";
  if (!std::any_of(tokens.begin(), tokens.end(), LooksCoined)) return "";
  // Two letters carry too little to be a name ("AI", "ML"), unless with a digit ("T5").
  if (head.size() < 3 && !std::any_of(head.begin(), head.end(),
                                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return "";
  std::string name(head);
  while (!name.empty() && (name.back() == '.' || name.back() == '-')) name.pop_back();
  return name;
}

NameIndex::NameIndex(const std::vector<std::string>& titles, size_t max_papers_per_name) {
  for (size_t row = 0; row < titles.size(); ++row) {
    std::string name = CoinedName(titles[row]);
    if (!name.empty()) rows_[name].push_back(static_cast<int64_t>(row));
  }
  for (auto it = rows_.begin(); it != rows_.end();) {
    if (it->second.size() > max_papers_per_name) {
      it = rows_.erase(it);
    } else {
      max_tokens_ = std::max<size_t>(max_tokens_, 1 + std::count(it->first.begin(), it->first.end(), ' '));
      ++it;
    }
  }
}

std::vector<NameIndex::Mention> NameIndex::Find(std::string_view text) const {
  std::unordered_map<std::string, int> counts;
  if (rows_.empty()) return {};
  auto tokens = NameTokens(text);
  std::string span;
  for (size_t i = 0; i < tokens.size(); ++i) {
    span.assign(tokens[i].token);
    for (size_t n = 1; n <= max_tokens_ && i + n <= tokens.size(); ++n) {
      if (n > 1) {
        // Only adjacent tokens separated by one space form a two-token name.
        const size_t prev_end = tokens[i + n - 2].end;
        if (tokens[i + n - 1].begin != prev_end + 1 || text[prev_end] != ' ') break;
        span.append(" ").append(tokens[i + n - 1].token);
      }
      if (rows_.count(span) != 0) ++counts[span];
    }
  }
  std::vector<Mention> out;
  for (auto& [name, count] : counts) out.push_back({name, rows_.at(name), count});
  std::sort(out.begin(), out.end(), [](const Mention& a, const Mention& b) {
    return a.count != b.count ? a.count > b.count : a.name < b.name;
  });
  return out;
}

}  // namespace novelta
