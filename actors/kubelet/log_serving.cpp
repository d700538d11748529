// Container logs for readers (the HTTP API's pods/log): the lines a request selects, read from
// the runtime, and for `follow` the lines written after, pushed to the reader as the runtime
// announces them, until the container stops, the reader stops, or its byte limit is spent.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <caf/all.hpp>

#include "actors/kubelet/kubelet_state.hpp"
#include "actors/kubelet/protocol/messages.hpp"

namespace kactor::kubelet {
namespace {

api::Status no_log(const PodLogRequest& r) {
  const auto& o = r.options;
  return api::bad_request(
      o.previous ? fmt::format("previous terminated container \"{}\" in pod \"{}\" not found",
                               o.container, r.pod_name)
                 : fmt::format("container \"{}\" in pod \"{}\" is not available", o.container,
                               r.pod_name));
}

bool spent(const std::optional<int64_t>& limit_bytes) {
  return limit_bytes && *limit_bytes <= 0;
}

/// Stops following: the runtime no longer announces lines for this reader.
void unfollow(Self* self, std::map<uint64_t, LogFollower>::iterator it) {
  self->state.runtime->follow_log(it->second.container_id, false);
  self->state.log_followers.erase(it);
}

/// Sends the follower the lines written since the last it got; `ending` adds the end.
/// Returns whether the follower is done (its limit spent, its container replaced).
bool push_lines(Self* self, uint64_t id, LogFollower& f, bool ending) {
  LogQuery q;
  q.pod_uid = f.pod_uid;
  q.container_name = f.container_name;
  q.container_id = f.container_id;
  q.selection.after_seq = f.last_seq;
  auto read = self->state.runtime->read_log(q);
  PodLogChunk chunk;
  chunk.follow_id = id;
  bool done = ending || !read;
  if (read) {
    f.last_seq = read->last_seq;
    chunk.text = render_log_lines(read->lines, f.timestamps, &f.limit_bytes);
  }
  done = done || spent(f.limit_bytes);
  chunk.ended = done;
  if (!chunk.text.empty() || done) self->send(f.reader, std::move(chunk));
  return done;
}

}  // namespace

PodLogChunk serve_log(Self* self, const PodLogRequest& request) {
  auto& st = self->state;
  const auto& o = request.options;
  LogQuery q;
  q.pod_uid = request.pod_uid;
  q.container_name = o.container;
  q.container_id = request.container_id;
  if (o.since_time) q.selection.since = *o.since_time;
  if (o.since_seconds)
    q.selection.since = clock_of(self).now() - std::chrono::seconds(*o.since_seconds);
  q.selection.tail_lines = o.tail_lines;
  auto read = st.runtime->read_log(q);
  PodLogChunk out;
  if (!read) {
    out.error = no_log(request);
    return out;
  }
  auto limit = o.limit_bytes;
  out.text = render_log_lines(read->lines, o.timestamps, &limit);
  if (!o.follow || o.previous || !read->running || spent(limit)) return out;
  const auto id = st.next_follow_id++;
  LogFollower f;
  f.reader = caf::actor_cast<caf::actor>(self->current_sender());
  f.pod_uid = request.pod_uid;
  f.container_name = o.container;
  f.container_id = read->container_id;
  f.last_seq = read->last_seq;
  f.timestamps = o.timestamps;
  f.limit_bytes = limit;
  if (!f.reader) return out;
  st.runtime->follow_log(f.container_id, true);
  st.log_followers.emplace(id, std::move(f));
  out.follow_id = id;
  out.ended = false;
  return out;
}

void on_log_written(Self* self, const std::string& container_id) {
  auto& followers = self->state.log_followers;
  for (auto it = followers.begin(); it != followers.end();) {
    auto current = it++;
    if (current->second.container_id != container_id) continue;
    if (push_lines(self, current->first, current->second, false)) unfollow(self, current);
  }
}

void end_log_followers(Self* self, const std::string& container_id) {
  auto& followers = self->state.log_followers;
  for (auto it = followers.begin(); it != followers.end();) {
    auto current = it++;
    if (current->second.container_id != container_id) continue;
    push_lines(self, current->first, current->second, true);
    unfollow(self, current);
  }
}

void stop_log_follower(Self* self, uint64_t follow_id) {
  auto it = self->state.log_followers.find(follow_id);
  if (it != self->state.log_followers.end()) unfollow(self, it);
}

}  // namespace kactor::kubelet
