#include "actors/apiserver/store_worker.hpp"

#include <pthread.h>

#include "actors/common/busy.hpp"

namespace kactor::apiserver {

StoreWorker::StoreWorker() : thread_([this] { run(); }) {
  pthread_setname_np(thread_.native_handle(), "kactor.store");
}

StoreWorker::~StoreWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void StoreWorker::post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void StoreWorker::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and nothing left to run
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    // The worker is a thread, not an actor: measured as a component of its own.
    static actors::BusyMeter& meter = actors::busy_meter("store-worker");
    actors::BusyScope busy(meter);
    job();
  }
}

}  // namespace kactor::apiserver
