// Batch and the writer-thread half of Store: preconditions against the prepared index.
#include "store/batch.hpp"

#include <utility>

#include "store/store.hpp"

namespace kactor::store {

Batch::Batch(Batch&& other) noexcept
    : store_(std::exchange(other.store_, nullptr)),
      id_(other.id_),
      time_ms_(other.time_ms_),
      key_delta_(std::exchange(other.key_delta_, 0)),
      events_(std::move(other.events_)) {
  other.events_.clear();
}

Batch& Batch::operator=(Batch&& other) noexcept {
  if (this != &other) {
    // Overwriting an unwritten batch drops it, exactly like destroying it.
    (void)abort();
    store_ = std::exchange(other.store_, nullptr);
    id_ = other.id_;
    time_ms_ = other.time_ms_;
    key_delta_ = std::exchange(other.key_delta_, 0);
    events_ = std::move(other.events_);
    other.events_.clear();
  }
  return *this;
}

// The outcome is recorded in the store's failed state when it matters; a destructor can do
// nothing more with it.
Batch::~Batch() {
  (void)abort();
}

Outcome Batch::put(std::string key, std::string value, Precondition precondition) {
  if (store_ == nullptr) return fail(ErrorCode::invalid, "batch is not open");
  return store_->prepare_put(*this, std::move(key), std::move(value), precondition);
}

Outcome Batch::remove(std::string key, std::string last_value, Precondition precondition) {
  if (store_ == nullptr) return fail(ErrorCode::invalid, "batch is not open");
  return store_->prepare_remove(*this, std::move(key), std::move(last_value), precondition);
}

Expected<void> Batch::abort() {
  if (store_ == nullptr) return {};
  Store* store = std::exchange(store_, nullptr);
  if (events_.empty()) return {};
  auto result = store->abort(*this);
  events_.clear();
  key_delta_ = 0;
  return result;
}

Expected<void> Store::check_writable(const Batch& batch) const {
  if (failed_.load(std::memory_order_acquire)) return std::unexpected(refusal());
  if (batch.id_ != open_batch_id_) {
    return fail(ErrorCode::invalid, "batch is closed: a later batch has been begun");
  }
  return {};
}

Outcome Store::prepare_put(Batch& batch, std::string key, std::string value, Precondition pre) {
  if (auto ok = check_writable(batch); !ok) return std::unexpected(ok.error());
  if (key.empty()) return fail(ErrorCode::invalid, "empty key");
  auto it = index_.find(key);
  const IndexEntry* current = it == index_.end() ? nullptr : &it->second;
  switch (pre.kind) {
    case Precondition::Kind::none:
      break;
    case Precondition::Kind::must_not_exist:
      if (current) return fail(ErrorCode::already_exists, "key " + key + " already exists");
      break;
    case Precondition::Kind::must_exist:
      if (!current) return fail(ErrorCode::not_found, "key " + key + " not found");
      break;
    case Precondition::Kind::mod_revision_equals:
      if (!current) return fail(ErrorCode::not_found, "key " + key + " not found");
      if (current->mod_revision != pre.revision) {
        return fail(ErrorCode::conflict, "key " + key + " is at revision " +
                                             std::to_string(current->mod_revision) + ", not " +
                                             std::to_string(pre.revision));
      }
      break;
  }
  return record(batch, current ? EventType::modified : EventType::created, std::move(key),
                std::move(value), current);
}

Outcome Store::prepare_remove(Batch& batch, std::string key, std::string last_value,
                              Precondition pre) {
  if (auto ok = check_writable(batch); !ok) return std::unexpected(ok.error());
  if (pre.kind == Precondition::Kind::must_not_exist) {
    return fail(ErrorCode::invalid, "remove with precondition must_not_exist");
  }
  auto it = index_.find(key);
  if (it == index_.end()) return fail(ErrorCode::not_found, "key " + key + " not found");
  if (pre.kind == Precondition::Kind::mod_revision_equals &&
      it->second.mod_revision != pre.revision) {
    return fail(ErrorCode::conflict, "key " + key + " is at revision " +
                                         std::to_string(it->second.mod_revision) + ", not " +
                                         std::to_string(pre.revision));
  }
  return record(batch, EventType::deleted, std::move(key), std::move(last_value), &it->second);
}

Outcome Store::record(Batch& batch, EventType type, std::string key, std::string value,
                      const IndexEntry* before) {
  Event e;
  e.revision = ++prepared_revision_;
  e.type = type;
  e.create_revision = before ? before->create_revision : e.revision;
  e.prev_mod_revision = before ? before->mod_revision : 0;
  e.time_ms = batch.time_ms_;
  switch (type) {
    case EventType::created:
      index_.emplace(key, IndexEntry{e.revision, e.revision});
      ++batch.key_delta_;
      break;
    case EventType::modified:
      index_[key].mod_revision = e.revision;
      break;
    case EventType::deleted:
      index_.erase(key);
      --batch.key_delta_;
      break;
  }
  e.key = std::move(key);
  e.value = std::move(value);
  Mutation m{e.revision, e.create_revision, e.prev_mod_revision, type};
  batch.events_.push_back(std::move(e));
  return m;
}

Expected<void> Store::abort(Batch& batch) {
  if (batch.id_ != open_batch_id_) {
    return std::unexpected(set_failed(Error{
        ErrorCode::io, "batch with revisions " + std::to_string(batch.events_.front().revision) +
                           ".." + std::to_string(batch.events_.back().revision) +
                           " dropped unwritten after later batches were begun"}));
  }
  // Still the newest batch: undo its events newest first; each one knows the state before it.
  for (auto e = batch.events_.rbegin(); e != batch.events_.rend(); ++e) {
    if (e->type == EventType::created) {
      index_.erase(e->key);
    } else {
      index_[e->key] = IndexEntry{e->create_revision, e->prev_mod_revision};
    }
  }
  prepared_revision_ = batch.events_.front().revision - 1;
  return {};
}

}  // namespace kactor::store
