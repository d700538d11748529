#include "actors/controllers/deployment_revision.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include <nlohmann/json.hpp>

#include "api/codec/object_codec.hpp"

namespace kactor::actors::controllers::deployment {

namespace {

/// Annotations of a Deployment that are its own or kubectl's, never copied to a ReplicaSet.
const std::set<std::string>& annotations_to_skip() {
  static const std::set<std::string> skip{
      "kubectl.kubernetes.io/last-applied-configuration",
      kRevisionAnnotation,
      kRevisionHistoryAnnotation,
      kDesiredReplicasAnnotation,
      kMaxReplicasAnnotation,
      "deprecated.deployment.rollback.to",
  };
  return skip;
}

template <class Int>
std::optional<Int> parse_int(const std::string& s) {
  Int v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<int32_t> int_annotation(const api::ReplicaSet& rs, const char* key) {
  auto it = rs.metadata.annotations.find(key);
  if (it == rs.metadata.annotations.end()) return std::nullopt;
  return parse_int<int32_t>(it->second);
}

uint32_t fnv1a32(std::string_view bytes, uint32_t h = 2166136261u) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

/// Upstream rand.SafeEncodeString: each character mapped into an alphabet without vowels
/// (no words) and without look-alikes.
std::string safe_encode(const std::string& s) {
  static constexpr std::string_view alphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string out(s.size(), ' ');
  for (size_t i = 0; i < s.size(); ++i)
    out[i] = alphabet[static_cast<unsigned char>(s[i]) % alphabet.size()];
  return out;
}

bool by_creation(const api::ReplicaSet* a, const api::ReplicaSet* b) {
  if (a->metadata.creation_timestamp.value != b->metadata.creation_timestamp.value)
    return a->metadata.creation_timestamp.value < b->metadata.creation_timestamp.value;
  return a->metadata.name < b->metadata.name;
}

}  // namespace

std::string pod_template_hash(const api::PodTemplateSpec& tpl,
                              std::optional<int32_t> collision_count) {
  // The template's JSON through the kinds' codec: a ReplicaSet carries it as spec.template.
  api::ReplicaSet holder;
  holder.spec.template_ = tpl;
  auto text = api::encode_json(holder)["spec"]["template"].dump();
  uint32_t h = fnv1a32(text);
  if (collision_count) {
    // As upstream: the count's 4 bytes, little endian, in an 8-byte buffer.
    auto c = static_cast<uint32_t>(*collision_count);
    char bytes[8] = {static_cast<char>(c & 0xff), static_cast<char>((c >> 8) & 0xff),
                     static_cast<char>((c >> 16) & 0xff), static_cast<char>((c >> 24) & 0xff),
                     0, 0, 0, 0};
    h = fnv1a32(std::string_view(bytes, sizeof bytes), h);
  }
  return safe_encode(std::to_string(h));
}

bool equal_ignore_hash(const api::PodTemplateSpec& a, const api::PodTemplateSpec& b) {
  auto a2 = a;
  auto b2 = b;
  a2.metadata.labels.erase(kPodTemplateHashLabel);
  b2.metadata.labels.erase(kPodTemplateHashLabel);
  return a2 == b2;
}

int64_t revision_of(const api::ReplicaSet& rs) {
  auto it = rs.metadata.annotations.find(kRevisionAnnotation);
  if (it == rs.metadata.annotations.end()) return 0;
  return parse_int<int64_t>(it->second).value_or(0);
}

int64_t max_revision(const std::vector<const api::ReplicaSet*>& rss) {
  int64_t max = 0;
  for (auto* rs : rss)
    if (rs) max = std::max(max, revision_of(*rs));
  return max;
}

void sort_by_creation(std::vector<api::ReplicaSet*>& rss) {
  std::stable_sort(rss.begin(), rss.end(), by_creation);
}
void sort_by_creation(std::vector<const api::ReplicaSet*>& rss) {
  std::stable_sort(rss.begin(), rss.end(), by_creation);
}

const api::ReplicaSet* find_new_replica_set(const api::Deployment& d,
                                            const std::vector<const api::ReplicaSet*>& rss) {
  auto sorted = rss;
  sort_by_creation(sorted);
  for (auto* rs : sorted)
    // Several may match (a manual copy): the oldest wins, so the choice is stable.
    if (equal_ignore_hash(rs->spec.template_, d.spec.template_)) return rs;
  return nullptr;
}

bool set_new_replica_set_annotations(const api::Deployment& d, api::ReplicaSet& rs,
                                     int64_t new_revision, bool exists) {
  bool changed = false;
  auto& ann = rs.metadata.annotations;
  for (const auto& [k, v] : d.metadata.annotations) {
    if (annotations_to_skip().contains(k)) continue;
    auto it = ann.find(k);
    if (it != ann.end() && it->second == v) continue;
    ann[k] = v;
    changed = true;
  }
  auto old_it = ann.find(kRevisionAnnotation);
  bool had_revision = old_it != ann.end();
  std::string old_revision = had_revision ? old_it->second : "";
  int64_t old_value = 0;
  if (had_revision) {
    auto parsed = parse_int<int64_t>(old_revision);
    if (!parsed) return changed;  // not ours to repair (upstream leaves it too)
    old_value = *parsed;
  }
  // Only ever up: old ReplicaSets deleted since may make new_revision smaller than its own.
  if (old_value < new_revision) {
    ann[kRevisionAnnotation] = std::to_string(new_revision);
    changed = true;
    if (had_revision) {
      // Rolled back to: remember the revisions it had (oldest dropped past the limit).
      std::string history = ann[kRevisionHistoryAnnotation];
      if (history.empty()) {
        ann[kRevisionHistoryAnnotation] = old_revision;
      } else {
        std::vector<std::string> parts;
        size_t pos = 0;
        while (true) {
          auto comma = history.find(',', pos);
          parts.push_back(history.substr(pos, comma - pos));
          if (comma == std::string::npos) break;
          pos = comma + 1;
        }
        size_t total = history.size() + old_revision.size() + 1;
        size_t start = 0;
        while (total > kMaxRevisionHistoryChars && start < parts.size())
          total -= parts[start++].size() + 1;
        if (total <= kMaxRevisionHistoryChars) {
          std::string joined;
          for (size_t i = start; i < parts.size(); ++i) joined += parts[i] + ",";
          ann[kRevisionHistoryAnnotation] = joined + old_revision;
        }
      }
    }
  }
  return changed;
}

bool set_replicas_annotations(api::ReplicaSet& rs, int32_t desired, int32_t max) {
  bool changed = false;
  for (auto [key, value] : {std::pair{kDesiredReplicasAnnotation, desired},
                            std::pair{kMaxReplicasAnnotation, max}}) {
    auto text = std::to_string(value);
    auto& slot = rs.metadata.annotations[key];
    if (slot != text) {
      slot = text;
      changed = true;
    }
  }
  return changed;
}

std::optional<int32_t> desired_replicas_annotation(const api::ReplicaSet& rs) {
  return int_annotation(rs, kDesiredReplicasAnnotation);
}
std::optional<int32_t> max_replicas_annotation(const api::ReplicaSet& rs) {
  return int_annotation(rs, kMaxReplicasAnnotation);
}

api::ReplicaSet new_replica_set_for(const api::Deployment& d) {
  auto hash = pod_template_hash(d.spec.template_, d.status.collision_count);
  api::ReplicaSet rs;
  rs.metadata.namespace_ = d.metadata.namespace_;
  rs.metadata.name = d.metadata.name + "-" + hash;
  rs.spec.template_ = d.spec.template_;
  rs.spec.template_.metadata.labels[kPodTemplateHashLabel] = hash;
  rs.metadata.labels = rs.spec.template_.metadata.labels;
  rs.spec.selector = d.spec.selector.value_or(api::LabelSelector{});
  rs.spec.selector->match_labels[kPodTemplateHashLabel] = hash;
  rs.spec.min_ready_seconds = d.spec.min_ready_seconds;
  rs.spec.replicas = 0;
  api::OwnerReference ref;
  ref.api_version = "apps/v1";
  ref.kind = "Deployment";
  ref.name = d.metadata.name;
  ref.uid = d.metadata.uid;
  ref.controller = true;
  ref.block_owner_deletion = true;
  rs.metadata.owner_references.push_back(ref);
  return rs;
}

}  // namespace kactor::actors::controllers::deployment
