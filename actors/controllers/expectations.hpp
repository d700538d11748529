// Controller expectations (upstream ControllerExpectations with UID tracking for deletions):
// after issuing creates/deletes, a controller waits until the informer has shown them
// before acting on that owner again, or until the record goes stale.
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <unordered_map>

#include "api/time/clock.hpp"

namespace kactor::actors::controllers {

class Expectations {
 public:
  explicit Expectations(const Clock& clock, Duration ttl = std::chrono::minutes(5))
      : clock_(clock), ttl_(ttl) {}

  /// True when nothing is outstanding for `owner` (or the record is older than the TTL).
  bool satisfied(const std::string& owner) const;
  /// Records `count` creations about to be issued (replaces any previous record).
  void expect_creations(const std::string& owner, int count);
  /// Records deletions of these pods (keys) about to be issued.
  void expect_deletions(const std::string& owner, const std::set<std::string>& pods);
  void creation_observed(const std::string& owner);
  void deletion_observed(const std::string& owner, const std::string& pod);
  /// Drops the record (owner deleted).
  void forget(const std::string& owner) { records_.erase(owner); }

 private:
  struct Record {
    int adds = 0;
    std::set<std::string> deletes;
    TimePoint since;
  };
  const Clock& clock_;
  Duration ttl_;
  std::unordered_map<std::string, Record> records_;
};

}  // namespace kactor::actors::controllers
