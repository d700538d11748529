#include "actors/rollout/pause.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>

namespace kactor::rollout {

void sleep_on(Clock& clock, Duration d) {
  // Shared with the timer: if this thread were gone before the callback ran (it is not: we wait
  // for it), the callback would still touch live state.
  struct Waker {
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
  };
  auto waker = std::make_shared<Waker>();
  clock.schedule_after(d, [waker] {
    std::lock_guard lock(waker->mutex);
    waker->done = true;
    waker->cv.notify_all();
  });
  std::unique_lock lock(waker->mutex);
  waker->cv.wait(lock, [&] { return waker->done; });
}

}  // namespace kactor::rollout
