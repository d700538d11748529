#include "actors/common/guarded.hpp"

#include <exception>

#include <spdlog/spdlog.h>

namespace kactor::actors {

std::string current_exception_text() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

void log_handler_exception(spdlog::logger& log, const std::string& what, const char* outcome) {
  log.error("a message handler threw: {}; {}, and the actor keeps serving", what, outcome);
}

BusyMeter& busy_meter_of(const spdlog::logger& log) {
  return busy_meter(log.name());
}

}  // namespace kactor::actors
