// The election record's rules without actors: what a claim writes and when another
// candidate's record still binds.
#include "actors/leaderelection/election_record.hpp"

#include <catch2/catch.hpp>

using namespace kactor;
using namespace kactor::leaderelection;
using namespace std::chrono_literals;

namespace {
const TimePoint t0 = TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 1 / 1).time_since_epoch());
}

TEST_CASE("a first claim creates the record with no transitions", "[leaderelection]") {
  auto r = claimed_record(nullptr, "a", 15s, t0);
  CHECK(r.holder_identity == "a");
  CHECK(r.lease_duration_seconds == 15);
  CHECK(r.acquire_time->value == t0);
  CHECK(r.renew_time->value == t0);
  CHECK(r.lease_transitions == 0);
}

TEST_CASE("a renewal keeps acquireTime and transitions, a takeover counts one more",
          "[leaderelection]") {
  auto first = claimed_record(nullptr, "a", 15s, t0);
  first.lease_transitions = 3;
  auto renewed = claimed_record(&first, "a", 15s, t0 + 2s);
  CHECK(renewed.acquire_time->value == t0);
  CHECK(renewed.renew_time->value == t0 + 2s);
  CHECK(renewed.lease_transitions == 3);

  auto taken = claimed_record(&renewed, "b", 15s, t0 + 20s);
  CHECK(taken.holder_identity == "b");
  CHECK(taken.acquire_time->value == t0 + 20s);
  CHECK(taken.lease_transitions == 4);

  // After a release (no holder) the next leader is a transition too, as upstream counts it.
  auto released = released_record(taken, t0 + 21s);
  CHECK(released.holder_identity == "");
  CHECK(released.lease_duration_seconds == 1);
  CHECK(released.lease_transitions == 4);
  CHECK(claimed_record(&released, "a", 15s, t0 + 22s).lease_transitions == 5);
}

TEST_CASE("another holder's record binds for its lease duration from when it was observed",
          "[leaderelection]") {
  auto record = claimed_record(nullptr, "a", 15s, t0);
  // The holder's renewTime says nothing: only how long the record stayed unchanged for us.
  record.renew_time = api::MicroTime{t0 - 1h};
  CHECK(held_by_other(record, "b", t0 + 5s, t0 + 19s));
  CHECK_FALSE(held_by_other(record, "b", t0 + 5s, t0 + 20s));
  CHECK_FALSE(held_by_other(record, "a", t0 + 5s, t0 + 6s));  // our own
  auto released = released_record(record, t0);
  CHECK_FALSE(held_by_other(released, "b", t0, t0));  // no holder: free at once
}
