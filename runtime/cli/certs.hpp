// `kactor certs`: the cluster CA and the certificates of the role processes' mutual TLS
// (actors/http/role_pki.hpp, docs/multi-host.md "Security").
#pragma once

#include <string>
#include <vector>

namespace kactor::cli {

/// Creates (or reuses) the CA in `dir` and issues what is missing or no longer fits: the API
/// server's certificate (SANs: `hosts` and the defaults), the admin's, the controller
/// manager's, the scheduler's and one per node of `nodes`. Prints one line per file created or
/// re-issued and a summary; 1 after logging why on failure.
int run_certs(const std::string& dir, const std::vector<std::string>& hosts,
              const std::vector<std::string>& nodes);

}  // namespace kactor::cli
