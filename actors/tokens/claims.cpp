#include "actors/tokens/claims.hpp"

namespace kactor::tokens {

std::string service_account_user(std::string_view namespace_, std::string_view name) {
  std::string out(kUserPrefix);
  out.append(namespace_).append(":").append(name);
  return out;
}

std::vector<std::string> service_account_groups(std::string_view namespace_) {
  return {std::string(kAllGroup), std::string(kAllGroup) + ":" + std::string(namespace_)};
}

}  // namespace kactor::tokens
