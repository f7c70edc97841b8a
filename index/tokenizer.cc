#include "index/tokenizer.h"

#include "base/text.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

namespace novelta {
namespace {

// Feeds in-memory texts to the trainer line by line.
class VectorIterator : public sentencepiece::SentenceIterator {
 public:
  explicit VectorIterator(const std::vector<std::string>& texts) : texts_(texts) {}
  bool done() const override { return i_ >= texts_.size(); }
  void Next() override { ++i_; }
  const std::string& value() const override { return texts_[i_]; }
  sentencepiece::util::Status status() const override { return sentencepiece::util::Status(); }

 private:
  const std::vector<std::string>& texts_;
  size_t i_ = 0;
};

}  // namespace

Tokenizer::~Tokenizer() = default;

StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::Train(const std::vector<std::string>& texts,
                                                      const TokenizerOptions& options) {
  if (texts.empty()) return Status::InvalidArgument("tokenizer: no training text");
  if (options.model_type != "unigram" && options.model_type != "bpe")
    return Status::InvalidArgument("tokenizer: model type must be unigram or bpe, not '" +
                                   options.model_type + "'");
  std::string args = "--model_prefix= --vocab_size=" + std::to_string(options.vocab_size) +
                     " --model_type=" + options.model_type +
                     " --input_sentence_size=" + std::to_string(options.max_training_sentences) +
                     " --shuffle_input_sentence=true --num_threads=" +
                     std::to_string(options.threads) +
                     " --normalization_rule_name=nmt_nfkc_cf --character_coverage=0.9995"
                     " --max_sentence_length=8192 --hard_vocab_limit=false --minloglevel=2";
  // The trainer's sampling uses a process-wide generator; seed it for reproducible models.
  sentencepiece::SetRandomGeneratorSeed(static_cast<unsigned int>(options.seed));
  VectorIterator it(texts);
  auto tok = std::unique_ptr<Tokenizer>(new Tokenizer());
  // The trainer logs its command line and statistics to stderr whatever
  // --minloglevel says; keep that noise away from users (errors still come
  // back through the returned status).
  std::fflush(stderr);
  int saved_stderr = ::dup(STDERR_FILENO);
  int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (saved_stderr >= 0 && devnull >= 0) ::dup2(devnull, STDERR_FILENO);
  auto st = sentencepiece::SentencePieceTrainer::Train(args, &it, &tok->serialized_);
  if (saved_stderr >= 0) {
    ::dup2(saved_stderr, STDERR_FILENO);
    ::close(saved_stderr);
  }
  if (devnull >= 0) ::close(devnull);
  if (!st.ok()) return Status::Internal(std::string("tokenizer training failed: ") + st.ToString());
  tok->sp_ = std::make_unique<sentencepiece::SentencePieceProcessor>();
  auto ls = tok->sp_->LoadFromSerializedProto(tok->serialized_);
  if (!ls.ok()) return Status::Internal(std::string("tokenizer: ") + ls.ToString());
  return tok;
}

StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::FromSerialized(const std::string& bytes) {
  auto tok = std::unique_ptr<Tokenizer>(new Tokenizer());
  tok->sp_ = std::make_unique<sentencepiece::SentencePieceProcessor>();
  auto st = tok->sp_->LoadFromSerializedProto(bytes);
  if (!st.ok()) return Status::Corruption(std::string("tokenizer model unreadable: ") + st.ToString());
  tok->serialized_ = bytes;
  return tok;
}

std::vector<int> Tokenizer::Encode(std::string_view text) const {
  std::vector<int> ids;
  sp_->Encode(text, &ids).IgnoreError();
  return ids;
}

std::vector<int> Tokenizer::EncodeForMatching(std::string_view text) const {
  return Encode(TextForMatching(text));
}

std::string Tokenizer::Piece(int id) const { return sp_->IdToPiece(id); }
int Tokenizer::vocab_size() const { return sp_->GetPieceSize(); }

}  // namespace novelta
