// Hostile inputs for the hardening tests of the decoders and patch engines, and a way to run
// code on a thread with the stack a CAF worker gets.
#pragma once

#include <pthread.h>

#include <cstddef>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>

namespace kactor::api::testing {

/// `depth` nested JSON objects around `leaf`: {"a":{"a":...leaf...}}.
inline std::string nested_objects(int depth, const std::string& leaf = "1",
                                  const std::string& key = "a") {
  std::string out;
  out.reserve(static_cast<size_t>(depth) * (key.size() + 5) + leaf.size());
  for (int i = 0; i < depth; ++i) out += "{\"" + key + "\":";
  out += leaf;
  out.append(static_cast<size_t>(depth), '}');
  return out;
}

/// `depth` nested JSON arrays around `leaf`: [[...leaf...]].
inline std::string nested_arrays(int depth, const std::string& leaf = "1") {
  return std::string(static_cast<size_t>(depth), '[') + leaf +
         std::string(static_cast<size_t>(depth), ']');
}

/// The stack a CAF 0.17 worker runs on: CAF starts workers with std::thread, so they get
/// glibc's default thread stack, which is RLIMIT_STACK (8 MiB on Debian) or 2 MiB when the
/// limit is unlimited. The tests at the depth limit use the smaller one.
inline constexpr size_t kWorkerStackBytes = size_t{2} << 20;

/// Runs `fn` on a new thread with a `stack_bytes` stack and waits for it; an exception thrown
/// by `fn` is rethrown here. A stack overflow crashes the test program, which fails the test.
inline void run_with_stack(size_t stack_bytes, const std::function<void()>& fn) {
  struct Job {
    const std::function<void()>* fn;
    std::exception_ptr error;
  } job{&fn, nullptr};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack_bytes);
  pthread_t thread;
  const int rc = pthread_create(
      &thread, &attr,
      [](void* arg) -> void* {
        auto* j = static_cast<Job*>(arg);
        try {
          (*j->fn)();
        } catch (...) {
          j->error = std::current_exception();
        }
        return nullptr;
      },
      &job);
  pthread_attr_destroy(&attr);
  if (rc != 0) throw std::runtime_error("pthread_create failed");
  pthread_join(thread, nullptr);
  if (job.error) std::rethrow_exception(job.error);
}

}  // namespace kactor::api::testing
