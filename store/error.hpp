// The store's own error type (the store sits below api/ and must not depend on it).
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace kactor::store {

/// Why a store operation failed. The API layer maps these onto Kubernetes statuses
/// (already_exists → 409 AlreadyExists, conflict → 409 Conflict, not_found → 404,
/// expired → 410 Gone, the rest → 500).
enum class ErrorCode {
  not_found,       ///< the key does not exist (remove, must_exist, mod_revision_equals)
  already_exists,  ///< precondition must_not_exist failed: the key is live
  conflict,        ///< precondition mod_revision_equals failed: the key has another revision
  expired,         ///< the requested revision has been compacted away
  corruption,      ///< stored bytes could not be decoded or are inconsistent with each other
  io,              ///< RocksDB reported an error, or the store is in the failed state
  invalid,         ///< the caller misused the API (bad argument, batches out of order, ...)
};

/// "not_found", "conflict", ... (for logs and messages).
std::string_view to_string(ErrorCode code);

/// A failed store operation: a machine-readable code plus a human-readable message.
struct Error {
  ErrorCode code = ErrorCode::io;
  std::string message;
  bool operator==(const Error&) const = default;
};

/// Every fallible store function returns Expected<T>: a value or an Error.
template <class T>
using Expected = std::expected<T, Error>;

/// `return fail(ErrorCode::invalid, "...");` reads better than spelling std::unexpected.
inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace kactor::store
