// How API types describe their fields once, for every codec.
//
// Every API struct T has, next to it, a free function template
//
//   template <class V> void describe(V& v, T& x) {
//     v("name", x.name);
//     v("restartCount", x.restart_count, keep_zero);
//   }
//
// found by argument-dependent lookup. The JSON, msgpack and CAF codecs are
// visitors passed as V; none of them is written per type. Field names are
// Kubernetes' JSON names, so real manifests load unchanged.
#pragma once

#include <cstdint>
#include <type_traits>

namespace kactor::api {

/// Field flags. By default a field equal to its default value is omitted on output
/// (Kubernetes' `omitempty`); `keep_zero` always writes it.
enum FieldFlags : uint32_t {
  omit_empty = 0,
  keep_zero = 1u << 0,
};

/// Visitor used only to detect described types at compile time.
struct DescribeProbe {
  template <class F>
  void operator()(const char*, F&, uint32_t = 0) {}
};

/// True for types that have a describe() overload, i.e. nested API structs.
template <class T>
concept Described = requires(T& x, DescribeProbe& v) { describe(v, x); };

}  // namespace kactor::api
