// BoundedExecutor: a fixed pool of threads with a bounded queue. The HTTP
// adapter hands every request to one so that handlers never run (or block) on
// the HTTP library's own thread pool, and so that overload is refused at once
// (TrySubmit returns false) instead of piling up.
//
// Thread-safety: all methods may be called concurrently.
#ifndef NOVELTA_SERVICES_EXECUTOR_H_
#define NOVELTA_SERVICES_EXECUTOR_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace novelta {

class BoundedExecutor {
 public:
  BoundedExecutor(int threads, int max_queue);
  ~BoundedExecutor();  // Shutdown()
  BoundedExecutor(const BoundedExecutor&) = delete;
  BoundedExecutor& operator=(const BoundedExecutor&) = delete;

  // Queues `task`; false when the queue is full or the executor is shut down.
  bool TrySubmit(std::function<void()> task);
  // Runs what is queued, then joins the threads. Later TrySubmit calls fail.
  void Shutdown();
  size_t queued() const;

 private:
  void Loop();
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  size_t max_queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace novelta

#endif  // NOVELTA_SERVICES_EXECUTOR_H_
