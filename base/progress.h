// Progress: a one-line progress bar on a terminal ("index build  41% 39012/95020 papers 12.3s"),
// silent when stderr is not a terminal so logs and CI output stay clean.
//
// Thread-safety: Add() may be called from several threads.
#ifndef NOVELTA_BASE_PROGRESS_H_
#define NOVELTA_BASE_PROGRESS_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace novelta {

class Progress {
 public:
  // `total` 0 means unknown (a counter without a bar). `enabled` defaults to
  // whether stderr is a terminal.
  Progress(std::string label, uint64_t total, std::string unit = "items");
  Progress(std::string label, uint64_t total, std::string unit, bool enabled);
  ~Progress();  // calls Finish()

  void Add(uint64_t n = 1);
  void SetTotal(uint64_t total);
  void Finish();
  uint64_t done() const { return done_.load(); }

  static bool StderrIsTerminal();

 private:
  void Draw(bool final);
  std::string label_;
  std::string unit_;
  std::atomic<uint64_t> total_;
  std::atomic<uint64_t> done_{0};
  bool enabled_;
  bool finished_ = false;
  uint64_t start_us_;
  uint64_t last_draw_us_ = 0;
  std::mutex mu_;
};

}  // namespace novelta

#endif  // NOVELTA_BASE_PROGRESS_H_
