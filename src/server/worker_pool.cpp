// Elastic worker pool on POSIX threads (for the stack size; std::thread cannot set it).
#include "server/worker_pool.h"

#include <pthread.h>

namespace registry {

WorkerPool::WorkerPool(WorkerPoolOptions options) : options_(options) {
  std::lock_guard<std::mutex> lock(mu_);
  while (threads_ < options_.min_threads && StartThread()) {
  }
}

WorkerPool::~WorkerPool() { Shutdown(); }

void* WorkerPool::ThreadMain(void* pool) {
  static_cast<WorkerPool*>(pool)->Work();
  return nullptr;
}

bool WorkerPool::StartThread() {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, options_.stack_size);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t thread;
  bool ok = pthread_create(&thread, &attr, &WorkerPool::ThreadMain, this) == 0;
  pthread_attr_destroy(&attr);
  if (ok) ++threads_;
  return ok;
}

void WorkerPool::Submit(std::function<void()> task) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shutdown_) return;
  queue_.push_back(std::move(task));
  // More tasks waiting than idle workers to take them: grow, if allowed (when thread creation
  // fails the task waits for a busy worker instead).
  if (queue_.size() > idle_ && threads_ < options_.max_threads) StartThread();
  work_cv_.notify_one();
}

void WorkerPool::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (queue_.empty() && !shutdown_) {
      ++idle_;
      bool woken = work_cv_.wait_for(lock, options_.idle_timeout,
                                     [this] { return !queue_.empty() || shutdown_; });
      --idle_;
      if (!woken && threads_ > options_.min_threads) break;  // retire
      continue;
    }
    if (queue_.empty()) break;  // shutdown and nothing left
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
  --threads_;
  gone_cv_.notify_all();
}

void WorkerPool::Shutdown() {
  std::unique_lock<std::mutex> lock(mu_);
  shutdown_ = true;
  work_cv_.notify_all();
  gone_cv_.wait(lock, [this] { return threads_ == 0; });
}

size_t WorkerPool::Threads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return threads_;
}

size_t WorkerPool::IdleThreads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return idle_;
}

}  // namespace registry
