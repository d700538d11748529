#include "actors/controllers/expectations.hpp"

namespace kactor::actors::controllers {

bool Expectations::satisfied(const std::string& owner) const {
  auto it = records_.find(owner);
  if (it == records_.end()) return true;
  const auto& r = it->second;
  if (r.adds <= 0 && r.deletes.empty()) return true;
  // A lost watch event must not wedge the owner forever.
  return clock_.now() - r.since > ttl_;
}

void Expectations::expect_creations(const std::string& owner, int count) {
  auto& r = records_[owner];
  r.adds = count;
  r.since = clock_.now();
}

void Expectations::expect_deletions(const std::string& owner, const std::set<std::string>& pods) {
  auto& r = records_[owner];
  r.deletes = pods;
  r.since = clock_.now();
}

void Expectations::creation_observed(const std::string& owner) {
  auto it = records_.find(owner);
  if (it != records_.end() && it->second.adds > 0) --it->second.adds;
}

void Expectations::deletion_observed(const std::string& owner, const std::string& pod) {
  auto it = records_.find(owner);
  if (it != records_.end()) it->second.deletes.erase(pod);
}

}  // namespace kactor::actors::controllers
