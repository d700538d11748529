// Boxed<T>: an optional value kept on the heap, for large fields that are usually absent.
//
// std::optional<T> holds its T inline, set or not: a Container with three optional Probes,
// a Lifecycle and a SecurityContext was 2.9 KB of which 2.3 KB were those five, empty in
// nearly every pod. Boxed<T> costs a shared_ptr (16 bytes) when empty. It behaves as
// std::optional<T> (has_value, *, ->, emplace, reset, value_or, comparison with nullopt), so
// the codecs, defaulting and validation treat both alike.
//
// Copies share the boxed value until one of them is changed (copy on write): cloning an
// object to make its next version copies a pointer per box. A non-const access (*, ->,
// value()) is taken as a change and unshares first. Sharing is safe across threads: a value
// is never changed while another Boxed points at it.
#pragma once

#include <memory>
#include <optional>
#include <utility>

namespace kactor::api {

template <class T>
class Boxed {
 public:
  using value_type = T;

  Boxed() = default;
  Boxed(std::nullopt_t) {}  // NOLINT(google-explicit-constructor): as std::optional
  Boxed(const T& v) : p_(std::make_shared<T>(v)) {}             // NOLINT
  Boxed(T&& v) : p_(std::make_shared<T>(std::move(v))) {}       // NOLINT
  Boxed(const std::optional<T>& v) {                            // NOLINT
    if (v) p_ = std::make_shared<T>(*v);
  }

  Boxed& operator=(std::nullopt_t) {
    p_.reset();
    return *this;
  }
  Boxed& operator=(const T& v) {
    p_ = std::make_shared<T>(v);
    return *this;
  }
  Boxed& operator=(T&& v) {
    p_ = std::make_shared<T>(std::move(v));
    return *this;
  }

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return has_value(); }

  const T& operator*() const { return *p_; }
  const T* operator->() const { return p_.get(); }
  T& operator*() { return *own(); }
  T* operator->() { return own(); }

  const T& value() const {
    if (!p_) throw std::bad_optional_access();
    return *p_;
  }
  T& value() {
    if (!p_) throw std::bad_optional_access();
    return *own();
  }
  template <class U>
  T value_or(U&& fallback) const {
    return p_ ? *p_ : static_cast<T>(std::forward<U>(fallback));
  }

  template <class... Args>
  T& emplace(Args&&... args) {
    p_ = std::make_shared<T>(std::forward<Args>(args)...);
    return *p_;
  }
  void reset() { p_.reset(); }

  /// The value as a std::optional (a copy).
  std::optional<T> to_optional() const { return p_ ? std::optional<T>(*p_) : std::nullopt; }

  friend bool operator==(const Boxed& a, const Boxed& b) {
    if (a.p_ == b.p_) return true;
    if (!a.p_ || !b.p_) return false;
    return *a.p_ == *b.p_;
  }
  friend bool operator==(const Boxed& a, std::nullopt_t) { return !a.p_; }
  friend bool operator==(const Boxed& a, const T& b) { return a.p_ && *a.p_ == b; }

 private:
  /// The value, no longer shared with another Boxed.
  T* own() {
    if (p_ && p_.use_count() > 1) p_ = std::make_shared<T>(std::as_const(*p_));
    return p_.get();
  }

  std::shared_ptr<T> p_;
};

}  // namespace kactor::api
