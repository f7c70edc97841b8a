// RunProcess: runs a program as a child process with its input given and its
// output taken, under a wall-clock deadline. For work that must not be able
// to take the calling process down with it (a hostile document that makes a
// parser loop, exhaust memory or crash): the child is killed at the deadline
// and any failure is the child's alone.
//
// Thread-safety: reentrant; children are spawned with posix_spawn, so calling
// it from a multi-threaded process is safe.
#ifndef NOVELTA_BASE_SUBPROCESS_H_
#define NOVELTA_BASE_SUBPROCESS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "novelta/status.h"

namespace novelta {

struct ProcessLimits {
  // Wall-clock time after which the child is killed (SIGKILL). Default: 30 s.
  double max_seconds = 30;
  // Most bytes kept of each of stdout and stderr; past it the child is
  // killed and the result says so. Default: 64 MiB.
  size_t max_output_bytes = 64u << 20;
};

struct ProcessResult {
  int exit_code = -1;        // when it exited; -1 when killed by a signal
  int signal = 0;            // the signal that ended it, else 0
  bool timed_out = false;    // killed at max_seconds
  bool output_cut = false;   // killed for writing past max_output_bytes
  std::string out, err;
};

// Runs argv[0] (a path, not searched in PATH) with `argv`, writing `input` to
// its stdin and then closing it. IOError when it cannot be started.
StatusOr<ProcessResult> RunProcess(const std::vector<std::string>& argv, std::string_view input,
                                   const ProcessLimits& limits = {});

}  // namespace novelta

#endif  // NOVELTA_BASE_SUBPROCESS_H_
