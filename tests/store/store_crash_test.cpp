// Crash test: a child writes to a sync store and is SIGKILLed at a random acknowledgement;
// every acknowledged write must survive and the store must reopen consistent.
#include <catch2/catch.hpp>

#include <spawn.h>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <random>
#include <string>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checksum.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

extern char** environ;

namespace kactor::store {
namespace {

struct Ack {
  int type = 0;
  std::string key;
  uint64_t checksum = 0;
};

/// The child process and the read end of its stdout.
class Child {
 public:
  Child(const std::string& program, const std::string& dir, uint64_t seed) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    std::string seed_arg = std::to_string(seed);
    std::vector<char*> argv = {const_cast<char*>(program.c_str()), const_cast<char*>(dir.c_str()),
                               seed_arg.data(), nullptr};
    int rc = ::posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (rc != 0) {
      ::close(fds[0]);
      pid_ = -1;
      return;
    }
    fd_ = fds[0];
  }
  ~Child() {
    kill_and_reap();
    if (fd_ >= 0) ::close(fd_);
  }

  bool running() const { return pid_ > 0 && fd_ >= 0; }

  /// Reads complete lines until `want` have arrived, EOF, or the deadline passes.
  /// Returns false on EOF or timeout.
  bool read_lines(std::vector<std::string>& lines, size_t want,
                  std::chrono::steady_clock::time_point deadline) {
    while (lines.size() < want) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      int ready = ::poll(&p, 1, static_cast<int>(left.count()));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) return false;
      if (!read_chunk(lines)) return false;
    }
    return true;
  }

  /// Reads everything left after the child died; a torn last line is dropped.
  void drain(std::vector<std::string>& lines) {
    while (read_chunk(lines)) {
    }
  }

  /// SIGKILL (if still alive) and wait; returns the wait status.
  int kill_and_reap() {
    if (pid_ <= 0) return status_;
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status_;
  }

 private:
  bool read_chunk(std::vector<std::string>& lines) {
    char buf[4096];
    ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) return true;
    if (n <= 0) return false;
    partial_.append(buf, static_cast<size_t>(n));
    for (size_t nl; (nl = partial_.find('\n')) != std::string::npos;) {
      lines.push_back(partial_.substr(0, nl));
      partial_.erase(0, nl + 1);
    }
    return true;
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  int status_ = 0;
  std::string partial_;
};

/// Checks the reopened store against every acknowledgement seen so far.
void verify(const std::string& path, const std::map<int64_t, Ack>& acks) {
  auto opened = Store::open({path, Durability::sync});
  if (!opened) FAIL("reopen failed: " << opened.error().message);
  Store& s = **opened;
  REQUIRE(s.compacted_revision() == 0);
  REQUIRE(s.revision() >= acks.rbegin()->first);

  auto events = s.read_events(0, 0);
  REQUIRE(events);
  REQUIRE(static_cast<int64_t>(events->size()) == s.revision());
  std::map<std::string, Record> replayed;
  for (size_t i = 0; i < events->size(); ++i) {
    const Event& e = (*events)[i];
    REQUIRE(e.revision == static_cast<int64_t>(i) + 1);
    if (auto ack = acks.find(e.revision); ack != acks.end()) {
      INFO("revision " << e.revision);
      CHECK(static_cast<int>(e.type) == ack->second.type);
      CHECK(e.key == ack->second.key);
      CHECK(testing::checksum(e.key, e.value) == ack->second.checksum);
    }
    if (e.type == EventType::deleted) {
      REQUIRE(replayed.erase(e.key) == 1);
    } else {
      Record& r = replayed[e.key];
      REQUIRE((e.type == EventType::created) == (r.create_revision == 0));
      REQUIRE(e.prev_mod_revision == r.mod_revision);
      r = Record{e.key, e.value, e.create_revision, e.revision};
    }
  }
  // The objects agree with the log.
  auto all = s.range("", "", 0);
  REQUIRE(all);
  REQUIRE(all->records.size() == replayed.size());
  for (const Record& r : all->records) CHECK(replayed.at(r.key) == r);
  CHECK(s.stats().keys == static_cast<int64_t>(replayed.size()));
}

}  // namespace

TEST_CASE("acknowledged sync writes survive SIGKILL", "[store][crash]") {
  uint64_t seed = testing::test_seed("store crash test");
  std::mt19937_64 rng(seed);
  testing::TempDir dir;
  REQUIRE_FALSE(dir.path().empty());
  std::string path = dir.path() + "/db";
  std::string program = testing::executable_dir() + "/crash_writer_child";
  REQUIRE(::access(program.c_str(), X_OK) == 0);

  std::map<int64_t, Ack> acks;  // every acknowledgement of every run, by revision
  for (int run = 0; run < 5; ++run) {
    size_t kill_after = 1 + rng() % 300;
    INFO("seed " << seed << " run " << run << " kill after " << kill_after);
    Child child(program, path, rng());
    REQUIRE(child.running());
    std::vector<std::string> lines;
    bool reached = child.read_lines(lines, kill_after,
                                    std::chrono::steady_clock::now() + std::chrono::seconds(15));
    int status = child.kill_and_reap();
    REQUIRE(reached);
    REQUIRE(WIFSIGNALED(status));
    child.drain(lines);  // acknowledgements printed before the kill landed count too

    for (const std::string& line : lines) {
      int64_t rev = 0;
      Ack ack;
      char key[64];
      REQUIRE(std::sscanf(line.c_str(), "ack %" SCNd64 " %d %63s %" SCNx64, &rev, &ack.type, key,
                          &ack.checksum) == 4);
      ack.key = key;
      REQUIRE(acks.emplace(rev, ack).second);
    }
    verify(path, acks);
  }
  // The first run started on an empty store (later runs resume from the persisted revision,
  // which verify() checked is contiguous from 1).
  CHECK(acks.begin()->first == 1);
}

}  // namespace kactor::store
