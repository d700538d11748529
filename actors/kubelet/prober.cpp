#include "actors/kubelet/prober.hpp"

namespace kactor::kubelet {

const char* to_string(ProbeType type) {
  switch (type) {
    case ProbeType::readiness:
      return "readiness";
    case ProbeType::liveness:
      return "liveness";
    case ProbeType::startup:
      return "startup";
  }
  return "unknown";
}

}  // namespace kactor::kubelet
