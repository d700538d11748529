// A blocking, typed client of the API server for embedding programs and tests.
// One instance belongs to one thread. No CAF in this header.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/fwd.hpp>

#include "actors/apiserver/protocol/protocol.hpp"
#include "actors/client/requests.hpp"
#include "api/time/clock.hpp"

namespace kactor::client {

/// A watch opened by a BlockingClient; events are read with next().
class BlockingWatch {
 public:
  ~BlockingWatch();
  BlockingWatch(BlockingWatch&&) noexcept;
  /// The next event, or nullopt if none arrived within `timeout` (real time) or the
  /// watch has closed (then closed() is true).
  std::optional<apiserver::WatchEventPtr> next(std::chrono::milliseconds timeout);
  bool closed() const;
  uint64_t id() const;

 private:
  friend class BlockingClient;
  struct Impl;
  explicit BlockingWatch(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class BlockingClient {
 public:
  BlockingClient(caf::actor_system& system, const caf::actor& apiserver,
                 std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~BlockingClient();
  BlockingClient(const BlockingClient&) = delete;
  BlockingClient& operator=(const BlockingClient&) = delete;

  /// Sends any request and waits for the response (timeouts become a 504 Status).
  apiserver::Response call(const apiserver::Request& request);

  api::Result<api::ObjectPtr> create(const api::Object& obj, bool dry_run = false);
  api::Result<api::ObjectPtr> get(const api::TypeInfo& type, const std::string& namespace_,
                                  const std::string& name);
  api::Result<api::ObjectPtr> update(const api::Object& obj);
  api::Result<api::ObjectPtr> update_status(const api::Object& obj);
  api::Result<api::ObjectPtr> patch(const api::TypeInfo& type, const std::string& namespace_,
                                    const std::string& name, const std::string& patch_type,
                                    const std::string& body, bool status = false);
  api::Result<api::ObjectPtr> remove(const api::TypeInfo& type, const std::string& namespace_,
                                     const std::string& name, const DeleteOptions& options = {});
  api::Result<api::ObjectPtr> bind(const std::string& namespace_, const std::string& pod,
                                   const std::string& node);
  api::Result<ListResult<api::Object>> list(const api::TypeInfo& type,
                                            const std::string& namespace_ = "",
                                            const ListOptions& options = {});
  api::Result<BlockingWatch> watch(const apiserver::WatchRequest& request);

  // -- typed conveniences --
  template <class T>
  api::Result<std::shared_ptr<const T>> get(const std::string& namespace_,
                                            const std::string& name) {
    return typed<T>(get(T::static_type(), namespace_, name));
  }
  template <class T>
  api::Result<std::shared_ptr<const T>> create(const T& obj) {
    return typed<T>(create(static_cast<const api::Object&>(obj)));
  }
  template <class T>
  api::Result<ListResult<T>> list(const std::string& namespace_ = "",
                                  const ListOptions& options = {}) {
    auto r = list(T::static_type(), namespace_, options);
    if (!r) return api::fail(r.error());
    ListResult<T> out{{}, r->resource_version, r->continue_token};
    for (auto& o : r->items) out.items.push_back(std::static_pointer_cast<const T>(o));
    return out;
  }

 private:
  template <class T>
  static api::Result<std::shared_ptr<const T>> typed(api::Result<api::ObjectPtr> r) {
    if (!r) return api::fail(r.error());
    return std::static_pointer_cast<const T>(*r);
  }

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kactor::client
