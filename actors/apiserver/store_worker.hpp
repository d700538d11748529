// A thread of its own for the store's blocking calls (a RocksDB batch write with its fsync,
// compaction), so they never hold one of CAF's few scheduler threads.
//
// It replaces a `caf::detached` actor. CAF 0.17's detached actors can miss their exit and
// keep the actor system's destructor waiting for ever (actor-framework#1196, fixed in 0.18):
// test clusters hung in teardown about one run in fifteen (`~actor_system` in
// `await_running_count_equal`, the detached actor's private thread idle). A plain thread
// with a queue has no such lifetime of its own. Free of CAF.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace kactor::apiserver {

class StoreWorker {
 public:
  StoreWorker();
  /// Runs the jobs already posted, then joins the thread.
  ~StoreWorker();
  StoreWorker(const StoreWorker&) = delete;
  StoreWorker& operator=(const StoreWorker&) = delete;

  /// Queues `job` to run on the worker's thread, after every job posted before it. A job
  /// reports back by message (it must not throw).
  void post(std::function<void()> job);

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kactor::apiserver
