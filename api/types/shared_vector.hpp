// SharedVector<T>: a std::vector<T> whose copies share one heap copy until one of them is
// changed (copy on write), for the lists that many objects hold alike.
//
// Every pod of a ReplicationController, ReplicaSet or Job carries the same containers,
// volumes and tolerations: ~2.1 KB of a decoded pod's ~5.2 KB (bench/README.md). Held as
// std::vectors, each pod had its own copy. Held as SharedVectors, the API server can make the
// pods of one template share one copy (apiserver/pod_spec_sharing.hpp), and every informer
// cache and kubelet that holds those pods shares it too.
//
// It reads as a std::vector (size, [], iteration, front, back; a const std::vector<T>& where
// one is asked for) and changes as one (push_back, emplace_back, insert, erase, resize, ...),
// so the codecs, defaulting and validation treat both alike. Any non-const access is taken
// as a change and unshares first, as Boxed does: code that only reads should read through a
// const reference, or it pays a copy. Sharing is safe across threads: a list is never changed
// while another SharedVector points at it.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

namespace kactor::api {

template <class T>
class SharedVector {
 public:
  using vector_type = std::vector<T>;
  using value_type = T;
  using size_type = std::size_t;
  using reference = T&;
  using const_reference = const T&;
  using iterator = typename vector_type::iterator;
  using const_iterator = typename vector_type::const_iterator;

  SharedVector() = default;
  SharedVector(std::initializer_list<T> items) { assign(vector_type(items)); }
  SharedVector(vector_type items) { assign(std::move(items)); }  // NOLINT: as a std::vector
  template <class It>
  SharedVector(It first, It last) {
    assign(vector_type(first, last));
  }

  SharedVector& operator=(vector_type items) {
    assign(std::move(items));
    return *this;
  }
  SharedVector& operator=(std::initializer_list<T> items) {
    assign(vector_type(items));
    return *this;
  }

  // -- reading ----------------------------------------------------------------------------
  const vector_type& get() const { return p_ ? *p_ : empty_vector(); }
  operator const vector_type&() const { return get(); }  // NOLINT: as a std::vector

  size_type size() const { return p_ ? p_->size() : 0; }
  bool empty() const { return size() == 0; }
  const_iterator begin() const { return get().begin(); }
  const_iterator end() const { return get().end(); }
  const_iterator cbegin() const { return get().begin(); }
  const_iterator cend() const { return get().end(); }
  const T& operator[](size_type i) const { return (*p_)[i]; }
  const T& at(size_type i) const { return get().at(i); }
  const T& front() const { return p_->front(); }
  const T& back() const { return p_->back(); }
  const T* data() const { return get().data(); }

  /// Whether both hold the very same list (not just equal ones): what sharing saved.
  bool shares_with(const SharedVector& o) const { return p_ && p_ == o.p_; }

  // -- changing (unshares first) ------------------------------------------------------------
  /// The list itself, no longer shared with another SharedVector.
  vector_type& mut() {
    if (!p_) {
      p_ = std::make_shared<vector_type>();
    } else if (p_.use_count() > 1) {
      p_ = std::make_shared<vector_type>(std::as_const(*p_));
    }
    return *p_;
  }
  iterator begin() { return mut().begin(); }
  iterator end() { return mut().end(); }
  T& operator[](size_type i) { return mut()[i]; }
  T& at(size_type i) { return mut().at(i); }
  T& front() { return mut().front(); }
  T& back() { return mut().back(); }
  T* data() { return mut().data(); }

  void push_back(const T& v) { mut().push_back(v); }
  void push_back(T&& v) { mut().push_back(std::move(v)); }
  template <class... Args>
  T& emplace_back(Args&&... args) {
    return mut().emplace_back(std::forward<Args>(args)...);
  }
  void pop_back() { mut().pop_back(); }
  template <class... Args>
  iterator insert(const_iterator pos, Args&&... args) {
    auto at = pos - begin_const();
    auto& v = mut();
    return v.insert(v.begin() + at, std::forward<Args>(args)...);
  }
  iterator erase(const_iterator pos) {
    auto at = pos - begin_const();
    auto& v = mut();
    return v.erase(v.begin() + at);
  }
  iterator erase(const_iterator first, const_iterator last) {
    auto from = first - begin_const(), to = last - begin_const();
    auto& v = mut();
    return v.erase(v.begin() + from, v.begin() + to);
  }
  void clear() { p_.reset(); }
  void reserve(size_type n) { mut().reserve(n); }
  void resize(size_type n) { mut().resize(n); }
  void resize(size_type n, const T& v) { mut().resize(n, v); }

  // -- sharing ------------------------------------------------------------------------------
  /// Takes `o`'s list if both hold equal ones, so that from now on they share it.
  /// Returns whether they share.
  bool share_if_equal(const SharedVector& o) {
    if (p_ == o.p_) return p_ != nullptr;
    if (!p_ || !o.p_ || *p_ != *o.p_) return false;
    p_ = o.p_;
    return true;
  }

  friend bool operator==(const SharedVector& a, const SharedVector& b) {
    return a.p_ == b.p_ || a.get() == b.get();
  }
  friend bool operator==(const SharedVector& a, const vector_type& b) { return a.get() == b; }

 private:
  static const vector_type& empty_vector() {
    static const vector_type empty;
    return empty;
  }
  const_iterator begin_const() const { return get().begin(); }
  void assign(vector_type items) {
    if (items.empty()) {
      p_.reset();
    } else {
      p_ = std::make_shared<vector_type>(std::move(items));
    }
  }

  std::shared_ptr<vector_type> p_;
};

}  // namespace kactor::api
