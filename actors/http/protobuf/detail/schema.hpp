// The field tables the protobuf decoder is driven by: for each Kubernetes message kactor
// decodes, its field numbers with the JSON name and type of each (from upstream's
// generated.proto files). One table per message, defined as a function returning a static
// so tables in different files can refer to each other without an initialisation order.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace kactor::http::protobuf::detail {

struct Message;
using MessageRef = const Message& (*)();

/// How a field's value is written in JSON.
enum class Type : std::uint8_t {
  string,
  bytes,  // base64 text, as Go's encoding/json writes []byte
  boolean,
  int32,
  int64,
  message,        // an object, from the field's table
  time,           // metav1.Time {seconds=1, nanos=2}: RFC 3339 text, whole seconds
  quantity,       // resource.Quantity {string=1}: its text
  int_or_string,  // intstr.IntOrString {type=1, intVal=2, strVal=3}: a number or a string
};

/// How many values a field holds, and whether a zero one is written.
enum class Label : std::uint8_t {
  /// A Go value field: upstream writes it even when zero, its JSON omits it, so a zero
  /// scalar (0, false, "", the zero Time or IntOrString) is left out of the JSON.
  value,
  /// A Go pointer: on the wire only when set, so even a zero value is kept (replicas: 0).
  pointer,
  /// A repeated field: a JSON array (scalars packed or not).
  repeated,
  /// map<string, T>: entries {key=1, value=2}, a JSON object.
  map,
  /// An embedded Go struct whose JSON is inlined (`json:",inline"`): its fields go into
  /// the enclosing object.
  inline_message,
};

struct Field {
  std::uint32_t number;
  std::string_view json;
  Type type;
  Label label = Label::value;
  MessageRef message = nullptr;  // with Type::message
};

struct Message {
  /// The upstream protobuf name, e.g. "k8s.io.api.core.v1.PodSpec" (for error messages).
  std::string_view name;
  std::span<const Field> fields;

  const Field* find(std::uint32_t number) const {
    for (const auto& f : fields)
      if (f.number == number) return &f;
    return nullptr;
  }
};

// -- shorthands the tables are written with --

constexpr Field value(std::uint32_t n, std::string_view json, Type t) {
  return {n, json, t};
}
constexpr Field pointer(std::uint32_t n, std::string_view json, Type t) {
  return {n, json, t, Label::pointer};
}
constexpr Field nested(std::uint32_t n, std::string_view json, MessageRef m) {
  return {n, json, Type::message, Label::value, m};
}
constexpr Field inlined(std::uint32_t n, MessageRef m) {
  return {n, {}, Type::message, Label::inline_message, m};
}
constexpr Field list(std::uint32_t n, std::string_view json, Type t) {
  return {n, json, t, Label::repeated};
}
constexpr Field list(std::uint32_t n, std::string_view json, MessageRef m) {
  return {n, json, Type::message, Label::repeated, m};
}
constexpr Field map(std::uint32_t n, std::string_view json, Type value_type) {
  return {n, json, value_type, Label::map};
}

// -- the tables (meta_tables.cpp, core_tables.cpp, pod_tables.cpp, apps_tables.cpp) --

// meta.k8s.io/v1
const Message& object_meta();
const Message& label_selector();
const Message& label_selector_requirement();
const Message& condition();
const Message& delete_options();

// core/v1
const Message& object_reference();
const Message& local_object_reference();
const Message& namespace_();
const Message& config_map();
const Message& secret();
const Message& service_account();
const Message& service();
const Message& resource_quota();
const Message& pod();
const Message& pod_template_spec();
const Message& replication_controller();
const Message& binding();

// authentication.k8s.io/v1 (authentication_tables.cpp)
const Message& token_request();
const Message& self_subject_review();

// authorization.k8s.io/v1 (authorization_tables.cpp)
const Message& self_subject_access_review();
const Message& self_subject_rules_review();

// apps/v1, scheduling.k8s.io/v1, autoscaling/v1
const Message& deployment();
const Message& replica_set();
const Message& priority_class();
const Message& scale();
const Message& horizontal_pod_autoscaler_v1();  // autoscaling_tables.cpp

// policy/v1 (policy_tables.cpp)
const Message& pod_disruption_budget();
const Message& eviction();

}  // namespace kactor::http::protobuf::detail
