// The exception boundary of every component actor. CAF 0.17 terminates an actor whose handler
// throws (its exception handler only chooses the exit reason), so one bad message would take a
// whole component down: the API server answering every later request with
// `request_receiver_down` while the process lives on. Every component builds its behavior with
// guarded() instead, which catches at each handler:
//
//   - a request handler that throws answers an error (500 InternalError "Internal error
//     occurred: ..." where the component says how: guarded_with()), and the actor serves on;
//   - a notification handler (void) that throws has its message logged and dropped.
//
// Each guarded handler's run is measured into its component's busy meter (busy.hpp), named
// after the logger.
//
// Response callbacks (request(...).then(...)) are guarded with guard_callback(). What still
// escapes (a bug outside any handler) ends the actor, and its supervisor (supervisor.hpp)
// starts it again. Include only from an actor's .cpp: this header pulls CAF's behavior.
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include <caf/behavior.hpp>
#include <caf/detail/type_traits.hpp>
#include <caf/error.hpp>
#include <caf/result.hpp>
#include <caf/sec.hpp>

#include "actors/common/busy.hpp"

namespace spdlog {
class logger;
}

namespace kactor::actors {

/// Text of the exception being handled (call only inside a catch block): its what(), or
/// "unknown exception" for a thrown non-std::exception.
std::string current_exception_text();

/// Logs, as an error of `log`, that a handler of an actor threw `what` and what was done about
/// it (`outcome`: "the request is answered with an error", "the message is dropped").
void log_handler_exception(spdlog::logger& log, const std::string& what, const char* outcome);

/// The busy meter of the component `log` is named after.
BusyMeter& busy_meter_of(const spdlog::logger& log);

namespace detail {

template <class T>
struct is_caf_result : std::false_type {};
template <class... Ts>
struct is_caf_result<caf::result<Ts...>> : std::true_type {};

/// What a guarded handler returns for a handler returning R: nothing for void, R when it is
/// already a caf::result (it can carry an error), else caf::result<R>.
template <class R>
using guarded_result_t =
    std::conditional_t<std::is_void_v<R> || is_caf_result<R>::value, R, caf::result<R>>;

/// No component-specific answer: requests whose handler threw get a CAF error.
struct NoFallback {
  struct Nothing {};
  Nothing operator()(const std::string&) const { return {}; }
};

/// A copy of handler `f` with the same parameters (so CAF matches the same messages) that
/// catches whatever `f` throws.
template <class Fallback, class F, class... Args>
auto guard_handler(std::shared_ptr<spdlog::logger> log, BusyMeter& busy_meter, Fallback fallback,
                   F f, caf::detail::type_list<Args...>) {
  using R = std::invoke_result_t<F&, Args...>;
  using Out = guarded_result_t<R>;
  BusyMeter* meter = &busy_meter;
  return [log = std::move(log), fallback = std::move(fallback), f = std::move(f),
          meter](Args... xs) mutable -> Out {
    BusyScope busy(*meter);
    try {
      if constexpr (std::is_void_v<R>)
        f(std::forward<Args>(xs)...);
      else
        return f(std::forward<Args>(xs)...);
    } catch (...) {
      const auto what = current_exception_text();
      if constexpr (std::is_void_v<R>) {
        log_handler_exception(*log, what, "the message is dropped");
      } else {
        log_handler_exception(*log, what, "the request is answered with an error");
        if constexpr (std::is_constructible_v<Out, std::invoke_result_t<Fallback&, std::string>>)
          return Out(fallback(what));
        else
          return Out(caf::make_error(caf::sec::runtime_error, "Internal error occurred: " + what));
      }
    }
  };
}

/// The behavior of guarded_with() and guarded_as(): each handler guarded and measured into
/// `meter`.
template <class Fallback, class... Fs>
caf::behavior guarded_behavior(const std::shared_ptr<spdlog::logger>& log, BusyMeter& meter,
                               const Fallback& fallback, Fs... handlers) {
  return caf::behavior{guard_handler(log, meter, fallback, std::move(handlers),
                                     typename caf::detail::get_callable_trait<Fs>::arg_types{})...};
}

}  // namespace detail

/// A behavior of `handlers` (lambdas with fixed parameter types, as for caf::behavior) where
/// each handler's exceptions are caught, logged to `log`, and answered by `fallback(what)` when
/// the handler's result can hold what it returns (the API server answers a Response with a 500
/// Status), by a CAF runtime_error for other requests, and dropped for notifications.
template <class Fallback, class... Fs>
caf::behavior guarded_with(std::shared_ptr<spdlog::logger> log, Fallback fallback, Fs... handlers) {
  return detail::guarded_behavior(log, busy_meter_of(*log), fallback, std::move(handlers)...);
}

/// guarded() measured into `meter` instead of the logger's component meter: for actors that
/// share a logger but are worth telling apart (each controller of the controller manager).
template <class... Fs>
caf::behavior guarded_as(std::shared_ptr<spdlog::logger> log, BusyMeter& meter, Fs... handlers) {
  return detail::guarded_behavior(log, meter, detail::NoFallback{}, std::move(handlers)...);
}

/// guarded_with() without a component-specific answer: a request whose handler threw gets a
/// CAF runtime_error ("Internal error occurred: ..."), a notification is dropped.
template <class... Fs>
caf::behavior guarded(std::shared_ptr<spdlog::logger> log, Fs... handlers) {
  return guarded_with(std::move(log), detail::NoFallback{}, std::move(handlers)...);
}

/// A response callback (for request(...).then(...)) that logs and drops an exception,
/// measured into `meter`. A caller that makes many keeps the meter (busy_meter_of once).
template <class F>
auto guard_callback(std::shared_ptr<spdlog::logger> log, BusyMeter& meter, F f) {
  return detail::guard_handler(std::move(log), meter, detail::NoFallback{}, std::move(f),
                               typename caf::detail::get_callable_trait<F>::arg_types{});
}

/// guard_callback() measured into the meter of the logger's component.
template <class F>
auto guard_callback(std::shared_ptr<spdlog::logger> log, F f) {
  BusyMeter& meter = busy_meter_of(*log);
  return guard_callback(std::move(log), meter, std::move(f));
}

}  // namespace kactor::actors
