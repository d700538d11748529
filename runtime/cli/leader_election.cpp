#include "runtime/cli/leader_election.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <climits>
#include <random>

#include "api/time/go_duration.hpp"
#include "api/validation/names.hpp"
#include "api/util/random.hpp"

namespace kactor::cli {

std::string holder_identity() {
  char host[HOST_NAME_MAX + 1] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0')
    std::snprintf(host, sizeof(host), "localhost");
  std::random_device device;
  Random random((static_cast<uint64_t>(device()) << 32) ^ device());
  return fmt::format("{}_{}", host, random.uuid());
}

api::Result<leaderelection::LeaderElectionOptions> election_options(
    const LeaderElectionFlags& flags, const std::string& default_name) {
  leaderelection::LeaderElectionOptions o;
  for (auto [flag, text, target] :
       {std::tuple{"--leader-elect-lease-duration", &flags.lease_duration, &o.lease_duration},
        std::tuple{"--leader-elect-renew-deadline", &flags.renew_deadline, &o.renew_deadline},
        std::tuple{"--leader-elect-retry-period", &flags.retry_period, &o.retry_period}}) {
    auto d = parse_go_duration(*text);
    if (!d || *d <= Duration::zero())
      return api::fail(api::bad_request(fmt::format(
          "{} must be a positive duration such as 15s or 500ms, not \"{}\"", flag, *text)));
    *target = *d;
  }
  o.lease_name = flags.resource_name.empty() ? default_name : flags.resource_name;
  o.lease_namespace = flags.resource_namespace;
  // A name the API server would refuse would make every attempt fail: refused here instead.
  if (auto errors = api::is_dns1123_subdomain(o.lease_name); !errors.empty())
    return api::fail(api::bad_request(fmt::format(
        "--leader-elect-resource-name \"{}\": {}", o.lease_name, errors.front())));
  if (auto errors = api::is_dns1123_label(o.lease_namespace); !errors.empty())
    return api::fail(api::bad_request(fmt::format(
        "--leader-elect-resource-namespace \"{}\": {}", o.lease_namespace, errors.front())));
  o.event_source = default_name;
  o.identity = holder_identity();
  if (auto valid = leaderelection::validate_leader_election(o); !valid) {
    auto e = valid.error();
    e.message = fmt::format(
        "{} (--leader-elect-lease-duration {}, --leader-elect-renew-deadline {}, "
        "--leader-elect-retry-period {}, --leader-elect-resource-name \"{}\", "
        "--leader-elect-resource-namespace \"{}\")",
        e.message, flags.lease_duration, flags.renew_deadline, flags.retry_period, o.lease_name,
        o.lease_namespace);
    return api::fail(e);
  }
  return o;
}

}  // namespace kactor::cli
