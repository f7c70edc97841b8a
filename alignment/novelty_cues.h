// Internal to the review reader: the word lists that the sentence analysis
// (statement_analysis.h) matches — the cue phrases that make a sentence a
// novelty statement and give it a side, the words that turn or soften a cue
// ("not", "entirely"), the modifiers of a novelty noun ("limited novelty"),
// the words that say a cue is not the reviewer's own view ("the authors
// claim", "proposes a novel"), and the aspect keywords. The lists are data;
// the rules that use them live in statement_analysis.cc, so that the two can
// be read (and tuned) separately. docs/alignment.md describes both.
//
// Thread-safety: the lists are built once, on first use (thread-safe static
// initialisation), and never changed.
#ifndef NOVELTA_ALIGNMENT_NOVELTY_CUES_H_
#define NOVELTA_ALIGNMENT_NOVELTY_CUES_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "alignment/review_reader.h"

namespace novelta::alignment::review_internal {

enum class CueKind {
  kPositive,      // "novel", "original", "the first to"
  kNegative,      // "incremental", "already proposed", "similar to"
  kTopic,         // "novelty", "prior work": the sentence is about novelty, no side taken
  kNoveltyNoun,   // "novelty", "originality", "contribution": takes a side through modifiers
};

// A cue: a run of lower-case word tokens.
struct Cue {
  std::vector<std::string> words;
  CueKind kind;
  int strength = 1;  // for negative cues: 1 incremental, 2 not novel
  // Counts only when the sentence also names a prior work or mentions prior
  // work in general ("similar to" is about novelty only next to a reference).
  bool needs_prior_reference = false;
};

// Every cue.
const std::vector<Cue>& Cues();
// Cues by their first word, longest first so that "not been explored" wins
// over a shorter cue starting at the same word.
const std::unordered_map<std::string, std::vector<const Cue*>>& CuesByFirstWord();

// Words that turn a following cue around within a small window.
bool IsNegator(std::string_view w);
// Words between a negator and a positive cue that soften "not novel" into
// "not entirely novel" (incremental rather than not novel).
bool IsSoftener(std::string_view w);
// Modifiers of a novelty noun: "limited novelty", "the novelty is not clear".
// -1 negative (sets *strength: 2 for a lack of novelty, 1 for a limited one),
// +1 positive, 0 not a modifier.
int ModifierPolarity(std::string_view w, int* strength);
// Nouns after "novel" in its sense of "unseen" (generalisation to novel classes).
bool IsUnseenNoun(std::string_view w);
// Words before "original" that make it about originality ("is original",
// "highly original"), and nouns after it that do ("original idea").
bool IsOriginalityLead(std::string_view w);
bool IsOriginalityHead(std::string_view w);
// Verbs that attribute a cue to the authors: "the authors claim ... novel".
bool IsAttribution(std::string_view w);
// Verbs that describe what the paper does: "proposes a novel method".
bool IsDescriptiveVerb(std::string_view w);

// Keywords per aspect, in order of precedence: ties go to the aspect listed
// first (the more specific).
const std::vector<std::pair<Aspect, std::vector<const char*>>>& AspectKeywords();

}  // namespace novelta::alignment::review_internal

#endif  // NOVELTA_ALIGNMENT_NOVELTY_CUES_H_
