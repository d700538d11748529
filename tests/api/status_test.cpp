// Status predicates: decided by reason, so a Status that crossed a process boundary (or was
// built by another component) answers the same; by code only when it has no reason.
#include <catch2/catch.hpp>

#include "api/status.hpp"

using namespace kactor::api;

TEST_CASE("each constructor is recognised by its own predicate only", "[api][status]") {
  CHECK(is_not_found(not_found("pods", "p")));
  CHECK(is_already_exists(already_exists("pods", "p")));
  CHECK(is_conflict(conflict("pods", "p")));
  CHECK(is_invalid(invalid("Pod", "p", {field_required("spec")})));
  CHECK(is_bad_request(bad_request("no")));
  CHECK(is_forbidden(forbidden("pods", "p", "no")));
  CHECK(is_expired(expired("too old")));
  CHECK(is_timeout(timeout("slow")));
  CHECK(is_internal_error(internal_error("boom")));

  // AlreadyExists and Conflict share the code 409, NotFound and others must not be confused.
  CHECK_FALSE(is_conflict(already_exists("pods", "p")));
  CHECK_FALSE(is_already_exists(conflict("pods", "p")));
  CHECK_FALSE(is_not_found(conflict("pods", "p")));
  CHECK_FALSE(is_invalid(bad_request("no")));
}

TEST_CASE("service_unavailable is upstream's 503 ServiceUnavailable, and no other error",
          "[api][status]") {
  const auto s = service_unavailable("no kubelet is reachable");
  CHECK(s.code == 503);
  CHECK(s.reason == "ServiceUnavailable");
  CHECK(s.message == "no kubelet is reachable");
  CHECK_FALSE(is_timeout(s));
  CHECK_FALSE(is_internal_error(s));
  CHECK_FALSE(is_not_found(s));
}

TEST_CASE("a Status without a reason falls back to its code", "[api][status]") {
  Status bare;
  bare.code = 404;
  CHECK(is_not_found(bare));
  bare.code = 409;
  CHECK(is_conflict(bare));
  CHECK_FALSE(is_already_exists(bare));
}

TEST_CASE("Forbidden is worded as upstream's NewForbidden with and without a name",
          "[api][status]") {
  CHECK(forbidden("pods", "p", "no").message == "pods \"p\" is forbidden: no");
  CHECK(forbidden("leases", "l", "no", "coordination.k8s.io").message ==
        "leases.coordination.k8s.io \"l\" is forbidden: no");
  CHECK(forbidden("secrets", "", "no").message == "secrets is forbidden: no");
  CHECK(forbidden("", "", "no").message == "forbidden: no");
}
