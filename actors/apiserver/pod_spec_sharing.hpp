// PodSpecSharing: the pods of one controller share their containers, volumes and tolerations.
//
// A ReplicationController's 30,000 pods hold 30,000 equal copies of its template's lists:
// ~2.1 KB of each decoded pod (bench/README.md). PodSpec keeps those lists as SharedVectors
// (api/types/shared_vector.hpp), and the API server, before it stores a pod, hands it the
// lists of the last pod it stored for the same controller where they are equal. The stored
// pod is the one every in-process informer cache, scheduler and kubelet holds, so they all
// share them. A pod of another template, or one changed since, keeps its own lists and
// becomes the one later pods of that controller are compared with.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>

#include "api/types/pod.hpp"

namespace kactor::apiserver {

class PodSpecSharing {
 public:
  /// At most `owners` controllers are remembered; past that the memory starts afresh.
  explicit PodSpecSharing(size_t owners = 4096) : capacity_(owners) {}

  /// Makes `pod`'s lists share those of the last pod stored for its controller where they
  /// are equal. A pod without a controller is left alone.
  void share(api::Pod& pod);

  /// Controllers remembered (for tests).
  size_t size() const { return by_owner_.size(); }

 private:
  struct Lists {
    api::SharedVector<api::Container> containers;
    api::SharedVector<api::Volume> volumes;
    api::SharedVector<api::Toleration> tolerations;
  };

  size_t capacity_;
  std::unordered_map<std::string, Lists> by_owner_;  ///< controller uid -> its last pod's lists
};

}  // namespace kactor::apiserver
