// Pod volume validation (upstream ValidateVolumes): one source per volume, the typed
// sources' required fields, and configMap/secret items and modes. The sources kactor
// carries as raw JSON (nfs, csi, projected, ...) are not looked into.
#include "api/validation/detail/pod_spec_parts.hpp"
#include "api/validation/names.hpp"

namespace kactor::api::validation::detail {
namespace {

/// upstream's fileModeErrorMsg.
constexpr std::string_view kFileModeError =
    "must be a number between 0 and 0777 (octal), both inclusive";

void validate_mode(const std::optional<int32_t>& mode, const std::string& path, Causes& causes) {
  if (mode && (*mode < 0 || *mode > 0777))
    causes.push_back(field_invalid(path, std::to_string(*mode), std::string(kFileModeError)));
}

void validate_items(const std::vector<KeyToPath>& items, const std::string& path, Causes& causes) {
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& kp = items[i];
    std::string p = index(path, i);
    if (kp.key.empty()) causes.push_back(field_required(child(p, "key")));
    if (kp.path.empty())
      causes.push_back(field_required(child(p, "path")));
    else
      validate_local_non_reserved_path(kp.path, child(p, "path"), causes);
    validate_mode(kp.mode, child(p, "mode"), causes);
  }
}

void validate_typed_source(const Volume& v, std::string_view source, const std::string& path,
                           Causes& causes) {
  std::string p = child(path, source);
  if (source == "emptyDir") {
    if (v.empty_dir->size_limit && v.empty_dir->size_limit->sign() < 0)
      causes.push_back(field_forbidden(child(p, "sizeLimit"),
                                       "SizeLimit field must be a valid resource quantity"));
  } else if (source == "hostPath") {
    if (v.host_path->path.empty()) causes.push_back(field_required(child(p, "path")));
  } else if (source == "secret") {
    if (v.secret->secret_name.empty()) causes.push_back(field_required(child(p, "secretName")));
    validate_mode(v.secret->default_mode, child(p, "defaultMode"), causes);
    validate_items(v.secret->items, child(p, "items"), causes);
  } else if (source == "persistentVolumeClaim") {
    if (v.persistent_volume_claim->claim_name.empty())
      causes.push_back(field_required(child(p, "claimName")));
  } else if (source == "configMap") {
    if (v.config_map->name.empty()) causes.push_back(field_required(child(p, "name")));
    validate_mode(v.config_map->default_mode, child(p, "defaultMode"), causes);
    validate_items(v.config_map->items, child(p, "items"), causes);
  }
}

}  // namespace

void validate_local_descending_path(const std::string& p, const std::string& path, Causes& causes) {
  if (p.starts_with('/'))
    causes.push_back(field_invalid(path, go_quote(p), "must be a relative path"));
  // No ".." element: split on '/'.
  for (size_t start = 0; start <= p.size();) {
    size_t end = p.find('/', start);
    if (end == std::string::npos) end = p.size();
    if (p.compare(start, end - start, "..") == 0) {
      causes.push_back(field_invalid(path, go_quote(p), "must not contain '..'"));
      break;
    }
    start = end + 1;
  }
}

void validate_local_non_reserved_path(const std::string& p, const std::string& path,
                                      Causes& causes) {
  validate_local_descending_path(p, path, causes);
  if (p.starts_with("..") && !p.starts_with("../"))
    causes.push_back(field_invalid(path, go_quote(p), "must not start with '..'"));
}

std::set<std::string> validate_volumes(const std::vector<Volume>& volumes, const std::string& path,
                                       Causes& causes) {
  std::set<std::string> names;
  for (size_t i = 0; i < volumes.size(); ++i) {
    const auto& v = volumes[i];
    std::string p = index(path, i);
    auto sources = volume_sources(v);
    if (sources.empty()) causes.push_back(field_required(p, "must specify a volume type"));
    for (size_t s = 0; s < sources.size(); ++s) {
      if (s > 0) {
        causes.push_back(
            field_forbidden(child(p, sources[s]), "may not specify more than 1 volume type"));
        continue;
      }
      validate_typed_source(v, sources[s], p, causes);
    }

    std::string name_path = child(p, "name");
    if (v.name.empty())
      causes.push_back(field_required(name_path));
    else
      validate_dns1123_label(v.name, name_path, causes);
    if (names.contains(v.name)) causes.push_back(field_duplicate(name_path, go_quote(v.name)));
    names.insert(v.name);
  }
  return names;
}

}  // namespace kactor::api::validation::detail
