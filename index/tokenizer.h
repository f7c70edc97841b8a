// Tokenizer: a SentencePiece model trained on the corpus itself, so that
// scientific vocabulary ("transformer", "diffusion", "▁reinforcement") becomes
// single pieces while rare words and formulas split into known sub-pieces.
// Text is case-folded (nmt_nfkc_cf) before segmentation.
//
// Thread-safety: immutable after Train/Load; Encode may be called concurrently.
#ifndef NOVELTA_INDEX_TOKENIZER_H_
#define NOVELTA_INDEX_TOKENIZER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "novelta/status.h"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace novelta {

struct TokenizerOptions {
  // Pieces in the vocabulary. Default: 16000.
  int vocab_size = 16000;
  // "unigram" or "bpe". Default: unigram.
  std::string model_type = "unigram";
  // Most sentences the trainer samples from the texts given. Default: 300000.
  int max_training_sentences = 300000;
  // Trainer threads. Default: 2.
  int threads = 2;
  // Random seed for the trainer's sampling (recorded in the manifest). Default: 17.
  int seed = 17;
};

class Tokenizer {
 public:
  ~Tokenizer();
  // Trains on `texts` (each split into lines/sentences by the caller or not).
  static StatusOr<std::unique_ptr<Tokenizer>> Train(const std::vector<std::string>& texts,
                                                    const TokenizerOptions& options);
  // Loads a model from its serialised bytes (the content of tokenizer.model).
  static StatusOr<std::unique_ptr<Tokenizer>> FromSerialized(const std::string& bytes);

  std::vector<int> Encode(std::string_view text) const;
  // Encode(TextForMatching(text)): the pieces a text is matched by, the same
  // for indexed papers, stored passages and queries.
  std::vector<int> EncodeForMatching(std::string_view text) const;
  // The piece string of an id ("▁diffusion").
  std::string Piece(int id) const;
  int vocab_size() const;
  // The model's bytes, for saving.
  const std::string& serialized() const { return serialized_; }

 private:
  Tokenizer() = default;
  std::unique_ptr<sentencepiece::SentencePieceProcessor> sp_;
  std::string serialized_;
};

}  // namespace novelta

#endif  // NOVELTA_INDEX_TOKENIZER_H_
