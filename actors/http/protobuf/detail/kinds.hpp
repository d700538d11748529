// The kinds whose protobuf bodies kactor decodes, by apiVersion and kind.
#pragma once

#include <span>
#include <string_view>

#include "actors/http/protobuf/detail/schema.hpp"

namespace kactor::http::protobuf::detail {

struct KindTable {
  std::string_view api_version;
  std::string_view kind;
  MessageRef message;
};

/// Every kind with a table, in one list.
std::span<const KindTable> kind_tables();

/// The table of apiVersion/kind, or nullptr.
const Message* find_kind(std::string_view api_version, std::string_view kind);

}  // namespace kactor::http::protobuf::detail
