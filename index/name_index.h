// NameIndex: the names papers coin in their titles — "LoRA: Low-Rank
// Adaptation of Large Language Models" coins "LoRA", "ResNet", "GPT-3",
// "word2vec" likewise — so that a submission that mentions a method by its
// name finds the paper that introduced it, as a reviewer would ("this is
// LoRA"), even when the submission's description shares few words with that
// paper's abstract.
//
// A coined name is the part of a title before ": " — one or two tokens of
// letters, digits, '-', '+' or '.', at most 24 bytes — that does not read as
// an ordinary word: it has an upper-case letter after its first character or
// a digit ("BERT", "AlphaGo", "T5"; not "Attention" or "Towards X"). Names
// coined by more than `max_papers_per_name` papers are ambiguous and dropped.
// Mentions are matched case-sensitively on whole tokens.
//
// Thread-safety: immutable after construction; Find may be called concurrently.
#ifndef NOVELTA_INDEX_NAME_INDEX_H_
#define NOVELTA_INDEX_NAME_INDEX_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace novelta {

class NameIndex {
 public:
  struct Mention {
    std::string name;
    std::vector<int64_t> rows;  // the papers that coin it, ascending
    int count = 0;              // times the text mentions it
  };

  // Row i of the index is titles[i]. Default `max_papers_per_name`: 2.
  explicit NameIndex(const std::vector<std::string>& titles, size_t max_papers_per_name = 2);

  // The name `title` coins, or "" when it coins none.
  static std::string CoinedName(std::string_view title);

  // The coined names `text` mentions, most mentioned first (then by name).
  std::vector<Mention> Find(std::string_view text) const;

  size_t size() const { return rows_.size(); }

 private:
  std::unordered_map<std::string, std::vector<int64_t>> rows_;
  // Longest name in tokens, so Find only tries spans that could match.
  size_t max_tokens_ = 1;
};

}  // namespace novelta

#endif  // NOVELTA_INDEX_NAME_INDEX_H_
