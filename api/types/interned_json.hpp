// The interned RawJson texts by number, for the msgpack codec: a text nearly every object
// carries (the kube-api-access projection of every pod) is stored and sent as its number
// instead of its ~300 bytes, in every stored version and every watch event that holds it.
#pragma once

#include <cstdint>
#include <optional>

#include "api/types/values.hpp"

namespace kactor::api {

/// The number `v` travels under, if its text is an interned one. Numbers are part of the
/// store's format: the table only grows, and a number never changes its text.
std::optional<uint8_t> interned_json_number(const RawJson& v);

/// The interned text numbered `number`, if there is one.
std::optional<RawJson> interned_json(uint8_t number);

}  // namespace kactor::api
