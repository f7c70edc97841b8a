// The LLM engine's prompts: versioned files in pipeline/llm/prompts/
// (NAME.VERSION.md), embedded in the binary when it is built, so an assessment
// never depends on files beside it. A report names each prompt it used with
// its version and SHA-256, so two reports can be compared knowing whether
// they were asked the same thing.
//
// Thread-safety: immutable after first use.
#ifndef NOVELTA_PIPELINE_LLM_PROMPTS_H_
#define NOVELTA_PIPELINE_LLM_PROMPTS_H_

#include <string>

namespace novelta {

struct Prompt {
  std::string name;     // "extract", "judge", "reasoning"
  std::string version;  // "v1"
  std::string text;     // the system message
  std::string sha256;   // of `text`, lower-case hex

  // "v1 sha256:..." as reports carry it.
  std::string Label() const { return version + " sha256:" + sha256; }
};

const Prompt& ExtractPrompt();    // stage 1: the structured representation and claims
const Prompt& JudgePrompt();      // stage 3: a verdict per claim with quoted evidence
const Prompt& ReasoningPrompt();  // stage 3: the conclusion and paragraph from verified evidence

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_LLM_PROMPTS_H_
