#include "actors/controllers/namespace_conditions.hpp"

namespace kactor::actors::controllers {

namespace {

api::NamespaceCondition make(const char* type, bool status, const char* reason,
                             std::string message) {
  api::NamespaceCondition c;
  c.type = type;
  c.status = status ? "True" : "False";
  c.reason = reason;
  c.message = std::move(message);
  return c;
}

/// "a has 1 resource instances, b has 2 resource instances" (map order: sorted, as upstream).
std::string join_counts(const std::map<std::string, int>& counts, const char* between) {
  std::string out;
  for (const auto& [name, n] : counts) {
    if (!out.empty()) out += ", ";
    out += name + between + std::to_string(n) + " resource instances";
  }
  return out;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out = "[";
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? ", " : "") + lines[i];
  return out + "]";
}

}  // namespace

std::vector<api::NamespaceCondition> namespace_deletion_conditions(
    const NamespaceDeletionReport& report, const std::vector<api::NamespaceCondition>& current,
    api::Time now) {
  std::vector<api::NamespaceCondition> wanted;
  // Resources come from the registry, which cannot fail to be discovered or parsed.
  wanted.push_back(make("NamespaceDeletionDiscoveryFailure", false, "ResourcesDiscovered",
                        "All resources successfully discovered"));
  wanted.push_back(make("NamespaceDeletionGroupVersionParsingFailure", false,
                        "ParsedGroupVersions", "All legacy kube types successfully parsed"));
  if (report.errors.empty())
    wanted.push_back(make("NamespaceDeletionContentFailure", false, "ContentDeleted",
                          "All content successfully deleted, may be waiting on finalization"));
  else
    wanted.push_back(make("NamespaceDeletionContentFailure", true, "ContentDeletionFailed",
                          "Failed to delete all resource types, " +
                              std::to_string(report.errors.size()) +
                              " remaining: " + join_lines(report.errors)));
  if (report.remaining.empty())
    wanted.push_back(
        make("NamespaceContentRemaining", false, "ContentRemoved", "All content successfully removed"));
  else
    wanted.push_back(make("NamespaceContentRemaining", true, "SomeResourcesRemain",
                          "Some resources are remaining: " + join_counts(report.remaining, " has ")));
  if (report.finalizers.empty())
    wanted.push_back(make("NamespaceFinalizersRemaining", false, "ContentHasNoFinalizers",
                          "All content-preserving finalizers finished"));
  else
    wanted.push_back(make("NamespaceFinalizersRemaining", true, "SomeFinalizersRemain",
                          "Some content in the namespace has finalizers remaining: " +
                              join_counts(report.finalizers, " in ")));

  std::vector<api::NamespaceCondition> out = current;
  for (auto& w : wanted) {
    api::NamespaceCondition* existing = nullptr;
    for (auto& c : out)
      if (c.type == w.type) existing = &c;
    if (!existing) {
      w.last_transition_time = now;
      out.push_back(std::move(w));
      continue;
    }
    w.last_transition_time = existing->status == w.status ? existing->last_transition_time : now;
    *existing = std::move(w);
  }
  return out;
}

}  // namespace kactor::actors::controllers
