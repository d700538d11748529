// Manifests: the one loader of `kactor up -f` and Cluster::apply. It reads files, directories
// (their .yaml/.yml/.json files, in name order, as kubectl does) and `-` (stdin), with size
// limits checked before anything is parsed, and decodes every document before any is
// applied, so a bad document applies nothing. Errors name the document: its source, index
// (from 1), kind and name.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/object.hpp"
#include "api/status.hpp"

namespace kactor::runtime {

/// What to do with fields a kind does not have (kubectl's --validate).
enum class Validation {
  strict,  ///< an error naming the field and the document (the default)
  warn,    ///< a warning; the field is dropped
  ignore,  ///< dropped silently
};

/// Parses "strict", "warn" or "ignore" (kubectl also accepts "true" = strict and
/// "false" = ignore); nullopt otherwise.
std::optional<Validation> parse_validation(std::string_view text);

struct ManifestOptions {
  Validation validation = Validation::strict;
  /// The largest document: upstream's API server reads request bodies up to 3 MiB.
  size_t max_document_bytes = 3 * 1024 * 1024;
  /// The largest input (one file, or stdin): read no further than this.
  size_t max_input_bytes = 64 * 1024 * 1024;
};

/// One decoded document.
struct ManifestObject {
  std::unique_ptr<api::Object> object;
  /// "<source> document <index> (<Kind> <namespace/name>)", for messages.
  std::string description;
};

struct Manifest {
  std::vector<ManifestObject> objects;
  /// Unknown fields dropped under Validation::warn, one line each.
  std::vector<std::string> warnings;
};

/// Decodes every document of `text` (YAML or JSON, multi-document; `kind: List` documents
/// are flattened), read from `source` (a path, for messages). The first bad document is the
/// error: 400 BadRequest "<source>: document <i> (<kind> <name>): <why>", short even when
/// the document is large.
api::Result<Manifest> parse_manifest(std::string_view text, const std::string& source,
                                     const ManifestOptions& options = {});

/// Reads and decodes `paths` (files, directories, "-" for stdin) in order, all before the
/// caller applies any. A path that cannot be read is an error saying why (e.g. "No such
/// file or directory").
api::Result<Manifest> read_manifests(const std::vector<std::string>& paths,
                                     const ManifestOptions& options = {});

}  // namespace kactor::runtime
