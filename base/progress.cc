#include "base/progress.h"

#include <unistd.h>

#include <cstdio>

#include "base/env.h"

namespace novelta {

bool Progress::StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string label, uint64_t total, std::string unit)
    : Progress(std::move(label), total, std::move(unit), StderrIsTerminal()) {}

Progress::Progress(std::string label, uint64_t total, std::string unit, bool enabled)
    : label_(std::move(label)), unit_(std::move(unit)), total_(total), enabled_(enabled),
      start_us_(Env::Default()->MonotonicMicros()) {}

Progress::~Progress() { Finish(); }

void Progress::SetTotal(uint64_t total) { total_ = total; }

void Progress::Add(uint64_t n) {
  done_ += n;
  if (!enabled_) return;
  uint64_t now = Env::Default()->MonotonicMicros();
  std::lock_guard<std::mutex> lock(mu_);
  if (now - last_draw_us_ < 100000) return;  // at most 10 redraws a second
  last_draw_us_ = now;
  Draw(false);
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  finished_ = true;
  if (enabled_) Draw(true);
}

void Progress::Draw(bool final) {
  double secs = (Env::Default()->MonotonicMicros() - start_us_) / 1e6;
  uint64_t done = done_.load(), total = total_.load();
  if (total > 0) {
    double frac = done >= total ? 1.0 : static_cast<double>(done) / total;
    const int width = 30;
    int filled = static_cast<int>(frac * width);
    std::string bar(filled, '#');
    bar.append(width - filled, '.');
    double eta = frac > 0 ? secs / frac - secs : 0;
    std::fprintf(stderr, "\r%s [%s] %3d%% %llu/%llu %s %.1fs eta %.0fs   ", label_.c_str(),
                 bar.c_str(), static_cast<int>(frac * 100), static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total), unit_.c_str(), secs, eta);
  } else {
    std::fprintf(stderr, "\r%s %llu %s %.1fs   ", label_.c_str(),
                 static_cast<unsigned long long>(done), unit_.c_str(), secs);
  }
  if (final) std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace novelta
