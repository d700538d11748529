#include "api/validation/object_meta_validation.hpp"

#include <algorithm>
#include <cctype>

#include "api/labels/selector.hpp"
#include "api/validation/names.hpp"

namespace kactor::api::validation {
namespace {

constexpr size_t kTotalAnnotationSizeLimit = 256 * 1024;

/// upstream maskTrailingDash: a generateName prefix may end in '-'.
std::string mask_trailing_dash(std::string_view name) {
  if (name.size() > 1 && name.back() == '-')
    return std::string(name.substr(0, name.size() - 2)) + "a";
  return std::string(name);
}

bool is_standard_finalizer(std::string_view f) {
  return f == "kubernetes" || f == "orphan" || f == "foregroundDeletion";
}

void validate_owner_references(const std::vector<OwnerReference>& refs, const std::string& path,
                               Causes& causes) {
  const OwnerReference* controller = nullptr;
  for (const auto& r : refs) {
    // upstream checks the version part of apiVersion ("apps/v1" -> "v1", "v1" -> "v1").
    auto slash = r.api_version.rfind('/');
    std::string version =
        slash == std::string::npos ? r.api_version : r.api_version.substr(slash + 1);
    if (version.empty())
      causes.push_back(field_invalid(child(path, "apiVersion"), go_quote(r.api_version),
                                     "version must not be empty"));
    if (r.kind.empty())
      causes.push_back(field_invalid(child(path, "kind"), go_quote(r.kind), "kind must not be empty"));
    if (r.name.empty())
      causes.push_back(field_invalid(child(path, "name"), go_quote(r.name), "name must not be empty"));
    if (r.uid.empty())
      causes.push_back(field_invalid(child(path, "uid"), go_quote(r.uid), "uid must not be empty"));
    if (r.kind == "Event" && version == "v1" &&
        (slash == std::string::npos || r.api_version.starts_with("events.k8s.io/")))
      causes.push_back(field_invalid(path, go_quote(r.kind), "is disallowed from being an owner"));
    if (r.controller.value_or(false)) {
      if (controller) {
        causes.push_back(field_invalid(
            path, "[]v1.OwnerReference{...}",
            "Only one reference can have Controller set to true. Found \"true\" in references "
            "for " +
                controller->kind + "/" + controller->name + " and " + r.kind + "/" + r.name));
      } else {
        controller = &r;
      }
    }
  }
}

void validate_finalizers(const std::vector<std::string>& finalizers, const std::string& path,
                         Causes& causes) {
  bool orphan = false, foreground = false;
  for (const auto& f : finalizers) {
    validate_finalizer_name(f, path, causes);
    orphan = orphan || f == "orphan";
    foreground = foreground || f == "foregroundDeletion";
  }
  if (orphan && foreground)
    causes.push_back(field_invalid(path, go_strings(finalizers),
                                   "finalizer orphan and foregroundDeletion cannot be both set"));
}

/// The parts every create and update validates on the (new) object.
void validate_meta_contents(const ObjectMeta& meta, const std::string& path, Causes& causes) {
  validate_labels(meta.labels, child(path, "labels"), causes);
  validate_annotations(meta.annotations, child(path, "annotations"), causes);
  validate_owner_references(meta.owner_references, child(path, "ownerReferences"), causes);
  validate_finalizers(meta.finalizers, child(path, "finalizers"), causes);
}

}  // namespace

std::vector<std::string> name_is_dns_subdomain(std::string_view name, bool prefix) {
  return is_dns1123_subdomain(prefix ? mask_trailing_dash(name) : std::string(name));
}
std::vector<std::string> name_is_dns_label(std::string_view name, bool prefix) {
  return is_dns1123_label(prefix ? mask_trailing_dash(name) : std::string(name));
}
std::vector<std::string> name_is_dns1035_label(std::string_view name, bool prefix) {
  return is_dns1035_label(prefix ? mask_trailing_dash(name) : std::string(name));
}
std::vector<std::string> name_is_anything(std::string_view, bool) {
  return {};
}

void validate_object_meta(const ObjectMeta& meta, bool namespaced, NameFn name_fn,
                          const std::string& path, Causes& causes) {
  if (!meta.generate_name.empty())
    add_invalid(causes, child(path, "generateName"), go_quote(meta.generate_name),
                name_fn(meta.generate_name, true));
  if (meta.name.empty()) {
    causes.push_back(field_required(child(path, "name"), "name or generateName is required"));
  } else {
    add_invalid(causes, child(path, "name"), go_quote(meta.name), name_fn(meta.name, false));
  }
  if (namespaced) {
    if (meta.namespace_.empty()) {
      causes.push_back(field_required(child(path, "namespace")));
    } else {
      add_invalid(causes, child(path, "namespace"), go_quote(meta.namespace_),
                  is_dns1123_label(meta.namespace_));
    }
  } else if (!meta.namespace_.empty()) {
    causes.push_back(field_forbidden(child(path, "namespace"), "not allowed on this type"));
  }
  validate_nonnegative(meta.generation, child(path, "generation"), causes);
  validate_meta_contents(meta, path, causes);
}

void validate_object_meta_update(const ObjectMeta& meta, const ObjectMeta& old,
                                 const std::string& path, Causes& causes) {
  if (old.deletion_timestamp) {
    std::vector<std::string> added;
    for (const auto& f : meta.finalizers)
      if (std::find(old.finalizers.begin(), old.finalizers.end(), f) == old.finalizers.end())
        added.push_back(f);
    if (!added.empty())
      causes.push_back(field_forbidden(
          child(path, "finalizers"),
          "no new finalizers can be added if the object is being deleted, found new finalizers " +
              go_strings(added)));
  }
  if (meta.generation < old.generation)
    causes.push_back(field_invalid(child(path, "generation"), std::to_string(meta.generation),
                                   "must not be decremented"));
  validate_immutable(meta.name != old.name, child(path, "name"), go_quote(meta.name), causes);
  validate_immutable(meta.namespace_ != old.namespace_, child(path, "namespace"),
                     go_quote(meta.namespace_), causes);
  validate_immutable(meta.uid != old.uid, child(path, "uid"), go_quote(meta.uid), causes);
  validate_immutable(meta.creation_timestamp != old.creation_timestamp,
                     child(path, "creationTimestamp"), go_time(meta.creation_timestamp), causes);
  validate_meta_contents(meta, path, causes);
}

void validate_labels(const std::map<std::string, std::string>& labels, const std::string& path,
                     Causes& causes) {
  for (const auto& [k, v] : labels) {
    add_invalid(causes, path, go_quote(k), is_qualified_name(k));
    add_invalid(causes, path, go_quote(v), is_valid_label_value(v));
  }
}

void validate_annotations(const std::map<std::string, std::string>& annotations,
                          const std::string& path, Causes& causes) {
  size_t total = 0;
  for (const auto& [k, v] : annotations) {
    std::string lower = k;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    add_invalid(causes, path, go_quote(k), is_qualified_name(lower));
    total += k.size() + v.size();
  }
  if (total > kTotalAnnotationSizeLimit)
    causes.push_back(field_too_long(path, "", kTotalAnnotationSizeLimit));
}

void validate_finalizer_name(std::string_view name, const std::string& path, Causes& causes) {
  auto errs = is_qualified_name(name);
  add_invalid(causes, path, go_quote(name), errs);
  if (name.find('/') == std::string_view::npos && !is_standard_finalizer(name))
    causes.push_back(field_invalid(path, go_quote(name),
                                   "name is neither a standard finalizer name nor is it fully "
                                   "qualified"));
}

void validate_label_selector(const LabelSelector& selector, const std::string& path,
                             Causes& causes) {
  validate_labels(selector.match_labels, child(path, "matchLabels"), causes);
  for (size_t i = 0; i < selector.match_expressions.size(); ++i) {
    const auto& r = selector.match_expressions[i];
    std::string p = index(child(path, "matchExpressions"), i);
    if (!validate_set_operator_values(r.operator_, r.values.size(), p, causes)) {
      causes.push_back(
          field_invalid(child(p, "operator"), go_quote(r.operator_), "not a valid selector operator"));
    }
    validate_qualified_name(r.key, child(p, "key"), causes);
    for (size_t j = 0; j < r.values.size(); ++j)
      add_invalid(causes, index(child(p, "values"), j), go_quote(r.values[j]),
                  is_valid_label_value(r.values[j]));
  }
}

bool label_selector_matches(const LabelSelector& selector,
                            const std::map<std::string, std::string>& labels) {
  auto sel = labels::Selector::from_label_selector(selector);
  return sel && sel->matches(labels);  // an invalid selector matches nothing
}

}  // namespace kactor::api::validation
