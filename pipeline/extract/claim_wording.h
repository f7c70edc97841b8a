// The wording stage 1 reads a sentence by, shared by the cue rules
// (cue_rule_scorer.h), claim typing (claim_typing.h) and facets
// (claim_facets.h): a sentence's lower-cased word tokens with a few
// punctuation facts, token-phrase search, the verbs with which a paper states
// a contribution or describes its research activity, and the subjects by
// which it speaks of itself ("we", "this paper"). One home, so that the three
// read "we propose" the same way.
//
// Internal to pipeline/extract/ (namespace claim_wording); not an API.
//
// Thread-safety: pure functions; the tables are built once, thread-safely, on
// first use and never change.
#ifndef NOVELTA_PIPELINE_EXTRACT_CLAIM_WORDING_H_
#define NOVELTA_PIPELINE_EXTRACT_CLAIM_WORDING_H_

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/text.h"

namespace novelta {
namespace claim_wording {

using Tokens = std::vector<std::string>;

// Lower-cased word tokens of a sentence plus a few punctuation facts the
// rules need. Built once per sentence.
struct Analyzed {
  Tokens tokens;
  std::vector<TokenSpan> spans;
  bool question = false;   // ends with "?"
  bool citation = false;   // cites other work: "[12]", "(Smith et al., 2020)", "et al."
};
Analyzed Analyze(std::string_view sentence);

// True when `s` cites other work: a numeric bracket "[3]", "[3, 4]", "[3-5]",
// an author-year parenthesis "(Smith, 2020)" / "(Smith et al., 2020)", or "et al.".
bool HasCitation(std::string_view s);

// Index of the first occurrence of `phrase` (a token sequence) at or after
// `from`, or -1.
int FindPhrase(const Tokens& t, std::initializer_list<const char*> phrase, size_t from = 0);
int FindPhrase(const Tokens& t, const std::vector<std::string>& phrase);
bool HasPhrase(const Tokens& t, std::initializer_list<const char*> phrase);
bool HasAnyWord(const Tokens& t, const std::unordered_set<std::string>& words);

// Verb forms, mapped to the lemma reported as the cue ("we propose").
using VerbTable = std::unordered_map<std::string, std::string>;
// Verbs with which a paper states what it contributes.
const VerbTable& ContributionVerbs();
// Verbs of research activity: weaker evidence of a contribution.
const VerbTable& ActivityVerbs();

// Subjects that make a sentence first-person: the paper speaking of itself
// ("we", "this paper", "our work"). Returns the length of the subject phrase
// at `i` (0 when none).
size_t SelfSubjectAt(const Tokens& t, size_t i);

// A word naming a collection of data ("dataset", "benchmark", "corpus", ...), lower-cased.
bool IsDatasetWord(std::string_view lower);

}  // namespace claim_wording
}  // namespace novelta

#endif  // NOVELTA_PIPELINE_EXTRACT_CLAIM_WORDING_H_
