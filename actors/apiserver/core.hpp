// The API server's request handling, free of CAF: it validates, defaults and
// admits requests against the in-memory tables, stages writes in the open store
// batch and reports the changes they make. The actor (apiserver.cpp) owns one Core,
// decides when batches are flushed and answers requests once they are durable.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "actors/apiserver/admission/admission.hpp"
#include "actors/apiserver/allocators/service_allocations.hpp"
#include "actors/apiserver/object_tables.hpp"
#include "actors/apiserver/pod_spec_sharing.hpp"
#include "actors/apiserver/protocol/protocol.hpp"
#include "actors/apiserver/token_options.hpp"
#include "api/time/clock.hpp"
#include "api/types/pod.hpp"
#include "api/util/random.hpp"
#include "store/store.hpp"

namespace kactor::apiserver {

/// One committed (or about to be committed) change, as the watch machinery needs it.
struct Change {
  WatchEventPtr event;
  api::ObjectPtr previous;  // the object before the change (null for ADDED)
};

/// The writes staged since the last take_commit(), to be written as one batch.
struct PendingCommit {
  store::Batch batch;
  std::vector<Change> changes;  // revision order
};

class Core {
 public:
  /// `random` is the cluster's seeded generator for the API server; each start of a store
  /// derives its own stream from it (see Store::open_count), so UIDs never repeat across
  /// restarts. `admission` is the plugin chain (default_admission_chain() in production).
  Core(store::Store& store, const Clock& clock, Random random, AdmissionChain admission,
       allocators::ServiceAllocatorOptions services = {}, TokenOptions tokens = {});

  /// Loads every object from the store into the tables (once, at start).
  std::optional<api::Status> load();
  /// Creates the objects a cluster needs from the start (default namespaces, system
  /// priority classes) if they are missing. Staged like any write.
  void bootstrap();

  /// Handles any non-watch request. Writes are staged in the open batch; the caller
  /// must not answer until that batch is durable (see has_staged_writes()).
  Response handle(const Request& request);

  bool has_staged_writes() const { return !staged_.changes.empty(); }
  /// Hands over the staged writes and opens a new batch.
  PendingCommit take_commit();
  /// The batch that made `changes` is durable: the tables may read those objects from the
  /// store instead of keeping them (ObjectTables::committed).
  void committed(const std::vector<Change>& changes);

  /// The revision of the latest staged write (what reads reflect).
  int64_t revision() const { return store_.prepared_revision(); }
  const ObjectTables& tables() const { return tables_; }
  /// Service ClusterIP/NodePort allocations (allocators/).
  const allocators::ServiceAllocations& service_allocations() const { return services_; }
  store::Store& store() { return store_; }

 private:
  // -- reads (core_read.cpp) --
  Response get(const api::TypeInfo& type, const Request& req) const;
  Response list(const api::TypeInfo& type, const Request& req) const;

  // -- writes (core_write.cpp) --
  Response create(const api::TypeInfo& type, const Request& req);
  Response update(const api::TypeInfo& type, const Request& req, bool status);
  Response patch(const api::TypeInfo& type, const Request& req, bool status);
  Response bind(const Request& req);
  Response finalize(const Request& req);
  /// A namespace's "default" ServiceAccount, staged with the namespace (see
  /// docs/service-accounts.md: pods can be created in a namespace as soon as it exists).
  void create_default_service_account(const std::string& namespace_);

  // -- serviceaccounts/<name>/token (core_token.cpp) --
  Response token(const Request& req);

  // -- pods/<name>/eviction (core_eviction.cpp) --
  Response evict(const Request& req);
  /// Takes one disruption from the budget guarding `pod`, if one does and allows it (staged
  /// with the pod's deletion); the refusal otherwise (429, or 500 for several budgets).
  std::optional<api::Status> charge_disruption_budget(const api::Pod& pod, bool dry_run);
  /// Adds the DisruptionTarget condition to the pod and deletes it with `del`'s options.
  Response delete_evicted_pod(const Request& del);

  /// Stores `next` (replacing `current`), or removes it when its deletion is complete.
  Response commit_update(const api::TypeInfo& type, const StoredObject& current,
                         std::unique_ptr<api::Object> next, bool dry_run);

  // -- deletes (core_delete.cpp) --
  Response remove(const api::TypeInfo& type, const Request& req);
  Response remove_now(const api::TypeInfo& type, const StoredObject& current, bool dry_run);


  // -- helpers --
  const api::TypeInfo* resolve(const Request& req, std::optional<api::Status>& error) const;
  api::Time now_seconds() const;
  /// Stages a put of `obj` with the next revision (set into its metadata) and records the
  /// change; returns the stored snapshot. `current` is the tables' entry for the object's
  /// key (null on create): the put overwrites it in place.
  api::Result<api::ObjectPtr> stage_put(const api::TypeInfo& type, std::unique_ptr<api::Object> obj,
                                        const StoredObject* current);
  /// Stages the writes admission asked for beside the object (ExtraWrites), each with the
  /// resourceVersion it carries as precondition.
  std::optional<api::Status> stage_extra(ExtraWrites extra);

  store::Store& store_;
  const Clock& clock_;
  Random random_;  ///< UIDs, generated names; derived per start (see the constructor)
  AdmissionChain admission_;
  ObjectTables tables_;
  PendingCommit staged_;
  PodSpecSharing pod_specs_;  ///< pods of one controller share their lists; see stage_put
  /// Service ClusterIPs and NodePorts; hooked into create/update/remove_now and load.
  allocators::ServiceAllocations services_;
  TokenOptions tokens_;
};

/// Response with an error.
Response error_response(api::Status status);

}  // namespace kactor::apiserver
