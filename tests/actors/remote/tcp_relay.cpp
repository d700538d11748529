#include "tests/actors/remote/tcp_relay.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

namespace kactor::testing {
namespace {

sockaddr_in loopback(uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

/// One relayed connection: the accepted side and the side towards the target.
struct Pair {
  int client = -1;
  int server = -1;
  void close_both() {
    if (client >= 0) ::close(client);
    if (server >= 0) ::close(server);
    client = server = -1;
  }
};

/// Moves what `from` has to `to`; false when either end is closed or failed.
bool pump(int from, int to) {
  char buf[16384];
  const ssize_t n = ::read(from, buf, sizeof buf);
  if (n <= 0) return false;
  for (ssize_t sent = 0; sent < n;) {
    const ssize_t w = ::send(to, buf + sent, static_cast<size_t>(n - sent), MSG_NOSIGNAL);
    if (w <= 0) return false;
    sent += w;
  }
  return true;
}

}  // namespace

TcpRelay::TcpRelay(uint16_t target_port) : target_port_(target_port) {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  auto addr = loopback(0);
  socklen_t len = sizeof addr;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener_, 16) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("tcp relay: cannot listen on 127.0.0.1");
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { run(); });
}

TcpRelay::~TcpRelay() {
  stop_ = true;
  thread_.join();
  ::close(listener_);
}

void TcpRelay::run() {
  std::vector<Pair> pairs;
  while (!stop_) {
    if (heal_requested_.exchange(false)) {
      for (auto& p : pairs) p.close_both();
      pairs.clear();
      cut_ = false;
    }
    const bool cut = cut_;
    std::vector<pollfd> fds{{listener_, POLLIN, 0}};
    if (!cut)
      for (const auto& p : pairs) {
        fds.push_back({p.client, POLLIN, 0});
        fds.push_back({p.server, POLLIN, 0});
      }
    // A short timeout, so that cut/heal/stop requests are seen promptly.
    if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
    if (fds[0].revents & POLLIN) {
      const int client = ::accept(listener_, nullptr, nullptr);
      if (client >= 0 && cut) {
        ::close(client);  // the peer is out of reach: nothing gets through
      } else if (client >= 0) {
        const int server = ::socket(AF_INET, SOCK_STREAM, 0);
        auto target = loopback(target_port_);
        if (server >= 0 &&
            ::connect(server, reinterpret_cast<sockaddr*>(&target), sizeof target) == 0) {
          pairs.push_back({client, server});
        } else {
          ::close(client);
          if (server >= 0) ::close(server);
        }
      }
    }
    if (cut) continue;
    // fds[1 + 2i] is pairs[i].client, fds[2 + 2i] its server side.
    for (size_t i = 0; i + 1 < fds.size(); i += 2) {
      auto& p = pairs[i / 2];
      bool alive = true;
      if (fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR)) alive = pump(p.client, p.server);
      if (alive && fds[i + 2].revents & (POLLIN | POLLHUP | POLLERR))
        alive = pump(p.server, p.client);
      if (!alive) p.close_both();
    }
    std::erase_if(pairs, [](const Pair& p) { return p.client < 0; });
  }
  for (auto& p : pairs) p.close_both();
}

}  // namespace kactor::testing
