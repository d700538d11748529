// The remote API server stand-in: requests, errors and watches cross a real CAF connection
// (two actor systems, loopback TCP), and a restarted API server is reached again.
#include "actors/remote/remote_apiserver.hpp"
#include "actors/remote/batch_unpacker.hpp"

#include <caf/io/all.hpp>

#include <filesystem>

#include "actors/client/informer.hpp"
#include "runtime/real_clock.hpp"
#include "tests/support/api_fixture.hpp"
#include "tests/support/seed.hpp"

using namespace kactor;
using namespace kactor::testing;

namespace {

/// Publishes the fixture's API server on loopback behind the batch unpacker, as
/// `kactor apiserver --insecure` does; `port` 0 picks one. Returns the port.
uint16_t publish(ApiFixture& server, uint16_t port) {
  auto door = remote::spawn_batch_unpacker(server.system.get(), server.plane->apiserver());
  auto published = server.system.get().middleman().publish(door, port, "127.0.0.1", true);
  REQUIRE(static_cast<bool>(published));
  return *published;
}

/// Re-checks `holds()` every 20 ms until it holds or the deadline passes; whether it held.
template <class Pred>
bool eventually(caf::actor_system& system, Pred holds,
                std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
  auto until = std::chrono::steady_clock::now() + deadline;
  caf::scoped_actor self{system};
  while (!holds()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    self->receive(caf::after(std::chrono::milliseconds(20)) >> [] {});
  }
  return true;
}

bool cached(const client::Informer& inf, const std::string& name) {
  for (const auto& o : inf.cache->list())
    if (o->metadata.name == name) return true;
  return false;
}

}  // namespace

TEST_CASE("a remote API server serves requests and watches, and is reached again after a restart",
          "[remote]") {
  const auto seed = test_seed("remote reconnect");
  auto dir = std::filesystem::temp_directory_path() /
             ("kactor-remote-test-" + std::to_string(seed));
  std::filesystem::remove_all(dir);
  auto server = std::make_unique<ApiFixture>(apiserver::ApiServerOptions{}, dir.string());
  const uint16_t port = publish(*server, 0);

  runtime::ActorSystem system{2};
  runtime::RealClock clock;
  remote::RemoteApiServerOptions options;
  options.port = port;
  options.initial_backoff = std::chrono::milliseconds(50);
  options.max_backoff = std::chrono::milliseconds(400);
  options.seed = seed;
  auto handle = remote::spawn_remote_apiserver(system.get(), clock, options);
  REQUIRE(remote::wait_connected(system.get(), handle, std::chrono::seconds(10)));
  client::BlockingClient client(system.get(), handle, std::chrono::seconds(10));

  // Requests and their errors cross as they are.
  REQUIRE(client.create(make_pod("default", "a")).has_value());
  auto a = client.get<api::Pod>("default", "a");
  REQUIRE(a.has_value());
  CHECK((*a)->metadata.name == "a");
  auto missing = client.get<api::Pod>("default", "missing");
  REQUIRE(!missing.has_value());
  CHECK(missing.error().reason == "NotFound");

  // A watch through the stand-in: an informer's cache follows the remote store.
  auto inf = client::spawn_informer(system.get(), handle, clock, {&api::Pod::static_type()});
  REQUIRE(eventually(system.get(), [&] { return inf.cache->synced() && cached(inf, "a"); }));
  REQUIRE(server->client->create(make_pod("default", "live")).has_value());
  REQUIRE(eventually(system.get(), [&] { return cached(inf, "live"); }));

  // The API server goes away: requests fail at once with a retriable 503, they do not hang.
  server.reset();
  auto during = client.get<api::Pod>("default", "a");
  REQUIRE(!during.has_value());
  CHECK(during.error().code == 503);
  CHECK(during.error().reason == "ServiceUnavailable");

  // It comes back on the same port and data directory; a write happens before anyone
  // reconnects. The stand-in reconnects on its own, the informer resumes and sees it.
  server = std::make_unique<ApiFixture>(apiserver::ApiServerOptions{}, dir.string());
  publish(*server, port);
  REQUIRE(server->client->create(make_pod("default", "b")).has_value());
  REQUIRE(remote::wait_connected(system.get(), handle, std::chrono::seconds(20)));
  REQUIRE(eventually(system.get(), [&] { return cached(inf, "a") && cached(inf, "b") && cached(inf, "live"); }));
  CHECK(client.get<api::Pod>("default", "b").has_value());

  caf::anon_send_exit(inf.actor, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(handle, caf::exit_reason::user_shutdown);
  server.reset();
  std::filesystem::remove_all(dir);
}

TEST_CASE("reconnect back-off doubles up to its cap, jittered within bounds", "[remote]") {
  remote::RemoteApiServerOptions o;
  o.initial_backoff = std::chrono::milliseconds(100);
  o.max_backoff = std::chrono::seconds(2);
  o.jitter = 0.2;
  auto ms = [](Duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  };
  // unit 0.5 is the nominal delay.
  CHECK(ms(remote::reconnect_delay(o, 0, 0.5)) == 100);
  CHECK(ms(remote::reconnect_delay(o, 1, 0.5)) == 200);
  CHECK(ms(remote::reconnect_delay(o, 3, 0.5)) == 800);
  CHECK(ms(remote::reconnect_delay(o, 5, 0.5)) == 2000);    // capped
  CHECK(ms(remote::reconnect_delay(o, 1000, 0.5)) == 2000);  // no overflow
  CHECK(ms(remote::reconnect_delay(o, 0, 0.0)) == 80);       // 1 - jitter
  CHECK(ms(remote::reconnect_delay(o, 0, 0.999999)) == 119);  // just under 1 + jitter
  const auto seed = test_seed("remote back-off jitter");
  Random random(seed);
  for (int i = 0; i < 100; ++i) {
    auto d = ms(remote::reconnect_delay(o, 10, random.unit()));
    CHECK(d >= 1600);
    CHECK(d <= 2400);
  }
}

TEST_CASE("a server address must be host:port, and plaintext is allowed on loopback only", "[remote]") {
  auto ok = remote::parse_endpoint("127.0.0.1:6444", "--server");
  REQUIRE(ok.has_value());
  CHECK(ok->first == "127.0.0.1");
  CHECK(ok->second == 6444);
  CHECK(remote::parse_endpoint("[::1]:6444", "--server")->first == "::1");
  for (const char* bad : {"127.0.0.1", ":6444", "host:", "host:0", "host:70000", "host:12x"}) {
    auto r = remote::parse_endpoint(bad, "--server");
    REQUIRE(!r.has_value());
    CHECK(r.error().reason == "BadRequest");
    CHECK(r.error().message.find("--server must be host:port") != std::string::npos);
  }
  CHECK(remote::parse_endpoint("127.0.0.1:0", "--caf-listen", true)->second == 0);
  CHECK(remote::is_loopback("127.0.0.1"));
  CHECK(remote::is_loopback("127.1.2.3"));
  CHECK(remote::is_loopback("localhost"));
  CHECK(remote::is_loopback("::1"));
  CHECK_FALSE(remote::is_loopback("10.0.0.1"));
  CHECK_FALSE(remote::is_loopback("0.0.0.0"));
}
