#include "actors/common/logging.hpp"

#include <mutex>

#include <spdlog/spdlog.h>

namespace kactor::actors {

std::shared_ptr<spdlog::logger> logger(const std::string& component) {
  // spdlog's registry is thread-safe, but get-then-register is not atomic: two components
  // starting at once would both try to register.
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  if (auto existing = spdlog::get(component)) return existing;
  auto created = spdlog::default_logger()->clone(component);
  spdlog::register_logger(created);
  return created;
}

}  // namespace kactor::actors
