#include "actors/leaderelection/election_record.hpp"

#include <chrono>

namespace kactor::leaderelection {

std::string holder_of(const api::LeaseSpec& record) {
  return record.holder_identity.value_or("");
}

bool held_by_other(const api::LeaseSpec& record, const std::string& identity,
                   TimePoint observed_at, TimePoint now) {
  const auto holder = holder_of(record);
  if (holder.empty() || holder == identity) return false;
  const auto duration = std::chrono::seconds(record.lease_duration_seconds.value_or(0));
  return observed_at + duration > now;
}

api::LeaseSpec claimed_record(const api::LeaseSpec* current, const std::string& identity,
                              Duration lease_duration, TimePoint now) {
  api::LeaseSpec out;
  out.holder_identity = identity;
  out.lease_duration_seconds = static_cast<int32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(lease_duration).count());
  out.renew_time = api::MicroTime{now};
  if (current == nullptr) {
    out.acquire_time = api::MicroTime{now};
    out.lease_transitions = 0;
  } else if (holder_of(*current) == identity) {
    out.acquire_time = current->acquire_time;
    out.lease_transitions = current->lease_transitions.value_or(0);
  } else {
    out.acquire_time = api::MicroTime{now};
    out.lease_transitions = current->lease_transitions.value_or(0) + 1;
  }
  return out;
}

api::LeaseSpec released_record(const api::LeaseSpec& current, TimePoint now) {
  api::LeaseSpec out;
  out.holder_identity = "";
  out.lease_duration_seconds = 1;
  out.acquire_time = api::MicroTime{now};
  out.renew_time = api::MicroTime{now};
  out.lease_transitions = current.lease_transitions.value_or(0);
  return out;
}

}  // namespace kactor::leaderelection
