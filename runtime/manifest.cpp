#include "runtime/manifest.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/codec/object_codec.hpp"
#include "api/served_versions.hpp"
#include "api/yaml/yaml.hpp"

namespace kactor::runtime {
namespace {

/// Longest message text taken from a decoder: a document must never be echoed whole.
constexpr size_t kMaxDetail = 300;

std::string shorten(std::string text) {
  if (text.size() <= kMaxDetail) return text;
  text.resize(kMaxDetail);
  return text + "...";
}

std::string json_type(const nlohmann::json& v) {
  if (v.is_array()) return "a list";
  if (v.is_object()) return "a map";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  return "null";
}

/// "<Kind> <namespace/name>", as far as the raw document says.
std::string what_it_is(const nlohmann::json& doc) {
  if (!doc.is_object()) return json_type(doc);
  std::string kind = "object";
  if (auto k = doc.find("kind"); k != doc.end() && k->is_string() && !k->get<std::string>().empty())
    kind = k->get<std::string>();
  std::string key;
  if (auto m = doc.find("metadata"); m != doc.end() && m->is_object()) {
    auto ns = m->find("namespace");
    auto name = m->find("name");
    if (ns != m->end() && ns->is_string()) key = ns->get<std::string>() + "/";
    if (name != m->end() && name->is_string()) key += name->get<std::string>();
  }
  return key.empty() ? kind : kind + " " + shorten(key);
}

/// The reason a document is no object of a known shape, before decoding it; empty if none.
std::string shape_problem(const nlohmann::json& doc) {
  if (!doc.is_object()) return "the document is " + json_type(doc) + ", not an object";
  for (const char* field : {"apiVersion", "kind"}) {
    auto it = doc.find(field);
    if (it == doc.end()) return fmt::format("{} is not set", field);
    if (!it->is_string()) return fmt::format("{} must be a string, not {}", field, json_type(*it));
    if (it->get<std::string>().empty()) return fmt::format("{} must not be empty", field);
  }
  return {};
}

bool only_unknown_fields(const api::Status& s) {
  const auto& causes = s.details.causes;
  return !causes.empty() && std::all_of(causes.begin(), causes.end(), [](const auto& c) {
    return c.reason == "FieldValueUnknown";
  });
}

api::Result<std::unique_ptr<api::Object>> decode(const nlohmann::json& doc, bool strict) {
  try {
    return api::decode_json(doc, api::DecodeOptions{.strict = strict});
  } catch (const std::exception& e) {
    // The decoders should refuse, not throw; if one does, this is still a bad document.
    return api::fail(api::bad_request(e.what()));
  }
}

/// Splits `text` at its document separators (a line starting with "---"), so each
/// document's size is known before any is parsed.
std::vector<std::string_view> split_documents(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  size_t line = 0;
  while (line < text.size()) {
    size_t end = text.find('\n', line);
    if (end == std::string_view::npos) end = text.size();
    auto l = text.substr(line, end - line);
    if (l.starts_with("---") && (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r')) {
      out.push_back(text.substr(start, line - start));
      start = line;  // the separator line stays with its document (it may carry content)
    }
    line = end + 1;
  }
  out.push_back(text.substr(start));
  return out;
}

struct Loader {
  const ManifestOptions& options;
  Manifest manifest;

  /// Decodes `doc`, numbered `label`, into the manifest; the error names it.
  std::optional<api::Status> add(const nlohmann::json& doc, const std::string& label) {
    const std::string description = label + " (" + what_it_is(doc) + ")";
    auto refuse = [&](const std::string& why) {
      return api::bad_request(description + ": " + shorten(why));
    };
    if (auto problem = shape_problem(doc); !problem.empty()) return refuse(problem);
    // A List is flattened, as kubectl does.
    if (doc["kind"] == "List" && doc.contains("items")) {
      if (!doc["items"].is_array()) return refuse("items must be a list");
      for (size_t i = 0; i < doc["items"].size(); ++i)
        if (auto err = add(doc["items"][i], fmt::format("{} item {}", label, i + 1))) return err;
      return std::nullopt;
    }
    // A version served besides the stored one (autoscaling/v1 of an HPA), converted as
    // the HTTP API converts it.
    const nlohmann::json* stored = &doc;
    nlohmann::json converted;
    if (const auto* served = api::other_version_of(doc)) {
      converted = doc;
      if (auto ok = served->to_stored(converted); !ok) return refuse(ok.error().message);
      stored = &converted;
    }
    auto decoded = decode(*stored, options.validation != Validation::ignore);
    if (!decoded && options.validation == Validation::warn &&
        only_unknown_fields(decoded.error())) {
      for (const auto& c : decoded.error().details.causes)
        manifest.warnings.push_back(description + ": " + c.message + " (dropped)");
      decoded = decode(*stored, false);
    }
    if (!decoded) return refuse(decoded.error().message);
    manifest.objects.push_back({std::move(*decoded), description});
    return std::nullopt;
  }

  std::optional<api::Status> add_text(std::string_view text, const std::string& source) {
    size_t index = 0;
    for (auto chunk : split_documents(text)) {
      if (chunk.size() > options.max_document_bytes)
        return api::bad_request(
            fmt::format("{}: document {} is {} bytes, over the limit of {} bytes (a request body)",
                        source, index + 1, chunk.size(), options.max_document_bytes));
      api::Result<std::vector<nlohmann::json>> docs = api::fail(api::bad_request(""));
      try {
        docs = api::yaml_to_json(chunk);
      } catch (const std::exception& e) {
        docs = api::fail(api::bad_request(e.what()));
      }
      if (!docs)
        return api::bad_request(
            fmt::format("{}: document {}: {}", source, index + 1, shorten(docs.error().message)));
      for (const auto& doc : *docs) {
        if (doc.is_null()) continue;  // an empty document
        ++index;
        if (auto err = add(doc, fmt::format("{} document {}", source, index))) return err;
      }
    }
    return std::nullopt;
  }
};

/// Reads all of `fd` (named `source`), refusing more than `limit` bytes before reading them:
/// a regular file by its size, anything else (a pipe, /dev/zero) as it streams.
api::Result<std::string> read_capped(int fd, const std::string& source, size_t limit) {
  auto too_large = [&](const std::string& size) {
    return api::fail(api::bad_request(
        fmt::format("{}: {}, over the limit of {} bytes of a manifest", source, size, limit)));
  };
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) > limit)
    return too_large(fmt::format("{} bytes", st.st_size));
  std::string out;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return api::fail(
          api::bad_request(fmt::format("cannot read {}: {}", source, std::strerror(errno))));
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > limit) return too_large("larger");
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

api::Result<std::string> read_file(const std::string& path, size_t limit) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return api::fail(
        api::bad_request(fmt::format("cannot read {}: {}", path, std::strerror(errno))));
  auto text = read_capped(fd, path, limit);
  ::close(fd);
  return text;
}

/// The manifests of a directory: its .yaml, .yml and .json files (not its subdirectories),
/// by name.
api::Result<std::vector<std::string>> directory_files(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const auto ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json"))
      files.push_back(entry.path().string());
  }
  if (ec) return api::fail(api::bad_request(fmt::format("cannot read {}: {}", dir, ec.message())));
  if (files.empty())
    return api::fail(
        api::bad_request(fmt::format("{}: a directory with no .yaml, .yml or .json files", dir)));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::optional<Validation> parse_validation(std::string_view text) {
  if (text == "strict" || text == "true") return Validation::strict;
  if (text == "warn") return Validation::warn;
  if (text == "ignore" || text == "false") return Validation::ignore;
  return std::nullopt;
}

api::Result<Manifest> parse_manifest(std::string_view text, const std::string& source,
                                     const ManifestOptions& options) {
  Loader loader{options, {}};
  if (auto err = loader.add_text(text, source)) return api::fail(std::move(*err));
  return std::move(loader.manifest);
}

api::Result<Manifest> read_manifests(const std::vector<std::string>& paths,
                                     const ManifestOptions& options) {
  Loader loader{options, {}};
  auto load = [&](const std::string& path) -> std::optional<api::Status> {
    auto text = path == "-" ? read_capped(STDIN_FILENO, "stdin", options.max_input_bytes)
                            : read_file(path, options.max_input_bytes);
    if (!text) return text.error();
    return loader.add_text(*text, path == "-" ? "stdin" : path);
  };
  for (const auto& path : paths) {
    std::error_code ec;
    if (path != "-" && std::filesystem::is_directory(path, ec)) {
      auto files = directory_files(path);
      if (!files) return api::fail(files.error());
      for (const auto& f : *files)
        if (auto err = load(f)) return api::fail(std::move(*err));
      continue;
    }
    if (auto err = load(path)) return api::fail(std::move(*err));
  }
  return std::move(loader.manifest);
}

}  // namespace kactor::runtime
