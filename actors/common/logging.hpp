// One logger per component, named after it ("apiserver", "kubelet", "scheduler", ...), so that
// a level set for a name (kactor --log-level, spdlog::set_level, spdlog::get(name)) reaches
// every actor of that component.
#pragma once

#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace kactor::actors {

/// The logger named `component`: created on first use with the default logger's sinks and
/// level and registered with spdlog, so spdlog::get(component) finds it. Thread-safe; never
/// null.
std::shared_ptr<spdlog::logger> logger(const std::string& component);

}  // namespace kactor::actors
