// Small files that must never be seen half-written: the PKI's PEM files and the kubeconfig.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "api/status.hpp"

namespace kactor::http {

/// The contents of `path`, nullopt when it does not exist, an InternalError naming the file when
/// it cannot be read or is larger than `max_bytes` (no PEM or kubeconfig comes near that, so a
/// huge file is a mistake, not something to load into memory).
api::Result<std::optional<std::string>> read_small_file(const std::filesystem::path& path,
                                                        size_t max_bytes = 1 << 20);

/// The text of the file a command-line flag names; BadRequest naming the flag and the file when
/// it cannot be read or does not exist.
api::Result<std::string> read_flag_file(std::string_view flag, const std::string& path);

/// Replaces `path` with `bytes` atomically: written to `<path>.tmp` created with `mode` (and
/// chmod-ed to exactly `mode`, whatever the umask), fsync-ed, renamed over `path`, and the
/// directory fsync-ed. A reader sees the old file or the new one, never a part, and a secret is
/// never readable by others, not even for a moment.
api::Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view bytes,
                                        std::filesystem::perms mode);

}  // namespace kactor::http
