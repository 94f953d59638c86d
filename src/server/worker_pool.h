// An elastic pool of worker threads: it grows with demand up to a cap and shrinks when idle,
// so connections that sit idle in keep-alive (each holds a worker while it waits for its next
// request) cannot starve the requests of other clients, while a quiet server holds few threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace registry {

struct WorkerPoolOptions {
  size_t min_threads = 4;       // kept even when idle
  size_t max_threads = 1500;    // more tasks than this wait in the queue
  size_t stack_size = 1 << 20;  // per thread: 1 MiB of address space, touched lazily
  std::chrono::milliseconds idle_timeout{30000};  // an idle thread above min_threads retires
};

// Thread-safe. Tasks run in submission order as workers free up.
class WorkerPool {
 public:
  explicit WorkerPool(WorkerPoolOptions options);
  ~WorkerPool();  // Shutdown()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; starts a worker when more tasks wait than workers are idle and the cap
  // allows. After Shutdown(), tasks are dropped.
  void Submit(std::function<void()> task);

  // Runs the tasks already queued, then stops and joins every worker.
  void Shutdown();

  size_t Threads() const;
  size_t IdleThreads() const;

 private:
  static void* ThreadMain(void* pool);
  void Work();
  bool StartThread();  // with mu_ held

  const WorkerPoolOptions options_;
  mutable std::mutex mu_;
  std::condition_variable work_cv_;          // a task was queued, or shutdown
  std::condition_variable gone_cv_;          // a worker exited
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  size_t threads_ = 0;                       // guarded by mu_
  size_t idle_ = 0;                          // guarded by mu_: workers waiting for a task
  bool shutdown_ = false;                    // guarded by mu_
};

}  // namespace registry
