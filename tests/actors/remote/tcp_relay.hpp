// A loopback TCP relay that can play a cut cable: while cut it forwards nothing and reads
// nothing, but keeps every connection open (no FIN, no RST), so both ends see a silent,
// half-open connection, as a partition does; new connections are closed at once. Lets the
// remote tests exercise BASP heartbeats without root or network namespaces.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

namespace kactor::testing {

class TcpRelay {
 public:
  /// Listens on 127.0.0.1 (a free port) and relays each connection to 127.0.0.1:target_port.
  explicit TcpRelay(uint16_t target_port);
  ~TcpRelay();  // closes everything and joins its thread
  TcpRelay(const TcpRelay&) = delete;
  TcpRelay& operator=(const TcpRelay&) = delete;

  uint16_t port() const { return port_; }
  /// From now on nothing is forwarded; connections stay open and silent.
  void cut() { cut_ = true; }
  /// Forwards again. The connections of before the cut are closed first: both ends have
  /// given them up by then (or will, which is what a healed network shows them too).
  void heal() { heal_requested_ = true; }

 private:
  void run();

  uint16_t target_port_;
  uint16_t port_ = 0;
  int listener_ = -1;
  std::atomic<bool> cut_{false};
  std::atomic<bool> heal_requested_{false};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace kactor::testing
