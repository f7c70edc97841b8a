#include "base/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

extern char** environ;

namespace novelta {
namespace {

// The parent's ends of the child's stdin, stdout and stderr. Socket pairs,
// not pipes: writing to a child that has died is then an error (MSG_NOSIGNAL)
// rather than a SIGPIPE for the whole process.
struct Channels {
  int in = -1, out = -1, err = -1;
  ~Channels() {
    for (int fd : {in, out, err})
      if (fd >= 0) ::close(fd);
  }
};

Status SocketPair(int fds[2]) {
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return Status::IOError(std::string("cannot create a channel to a child process: ") + std::strerror(errno));
  }
  return Status::OK();
}

}  // namespace

StatusOr<ProcessResult> RunProcess(const std::vector<std::string>& argv, std::string_view input,
                                   const ProcessLimits& limits) {
  if (argv.empty()) return Status::InvalidArgument("RunProcess: no program");
  int in[2], out[2], err[2];
  NOVELTA_RETURN_IF_ERROR(SocketPair(in));
  Channels parent;
  parent.in = in[0];
  Status s = SocketPair(out);
  if (!s.ok()) {
    ::close(in[1]);
    return s;
  }
  parent.out = out[0];
  s = SocketPair(err);
  if (!s.ok()) {
    ::close(in[1]);
    ::close(out[1]);
    return s;
  }
  parent.err = err[0];

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[1], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  // The child starts with default signal dispositions and nothing blocked.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in[1]);
  ::close(out[1]);
  ::close(err[1]);
  if (rc != 0) return Status::IOError("cannot start " + argv[0] + ": " + std::strerror(rc));

  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(limits.max_seconds);
  size_t written = 0;
  if (input.empty()) {
    ::close(parent.in);
    parent.in = -1;
  }
  for (int fd : {parent.in, parent.out, parent.err})
    if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  bool killed = false;
  while (parent.out >= 0 || parent.err >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;  // killed below
    pollfd fds[3];
    int n = 0;
    if (parent.in >= 0) fds[n++] = {parent.in, POLLOUT, 0};
    if (parent.out >= 0) fds[n++] = {parent.out, POLLIN, 0};
    if (parent.err >= 0) fds[n++] = {parent.err, POLLIN, 0};
    int ready = ::poll(fds, n, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < n && ready > 0; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == parent.in) {
        ssize_t w = ::send(parent.in, input.data() + written, input.size() - written, MSG_NOSIGNAL);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 && errno != EAGAIN && errno != EINTR) written = input.size();  // it stopped reading
        if (written >= input.size()) {
          ::close(parent.in);
          parent.in = -1;
        }
        continue;
      }
      int& fd = fds[i].fd == parent.out ? parent.out : parent.err;
      std::string& sink = fds[i].fd == parent.out ? result.out : result.err;
      char buf[65536];
      ssize_t r = ::read(fd, buf, sizeof(buf));
      if (r > 0) {
        sink.append(buf, static_cast<size_t>(r));
        if (sink.size() > limits.max_output_bytes) {
          result.output_cut = true;
          killed = true;
        }
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        ::close(fd);
        fd = -1;
      }
    }
    if (killed) break;
  }
  // Its output is closed; it may still be running (or have closed it early):
  // it gets until the deadline to exit.
  int status = 0;
  for (;;) {
    pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid || (w < 0 && errno != EINTR)) break;
    if (killed || std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = !killed;
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    ::usleep(2000);
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace novelta
