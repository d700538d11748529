// The kubelet's HTTPS API (actors/http/kubelet_api.*, kubelet_serve.*) served over real TLS on
// loopback, with a fake KubeletBackend behind it, and reached the way the API server reaches
// it (HttpsKubeletBackend: SNI of the node name, the apiserver-kubelet-client certificate) or
// with a plain HTTPS client (no SNI, no client certificate).
#include <catch2/catch.hpp>

#include <condition_variable>
#include <fstream>
#include <future>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "actors/http/client/https_client.hpp"
#include "actors/http/https_kubelet_backend.hpp"
#include "actors/http/kubelet_serve.hpp"
#include "actors/http/role_pki.hpp"
#include "actors/http/stats_summary.hpp"
#include "api/testing/builders.hpp"
#include "pki_fixture.hpp"

using namespace kactor;
using namespace kactor::http;
using kactor::http::testing::read_file;
using kactor::http::testing::TempDir;
using kactor::http::testing::test_now;

namespace {

/// Certificates these tests hand to real TLS handshakes are issued now: OpenSSL checks them
/// against the wall clock, so ones issued at the fixed test_now() would expire (a year after
/// it) and fail every run from then on.
TimePoint wall_now() { return std::chrono::system_clock::now(); }

/// Answers for every node from fixed data; a follow sends two lines, then ends (or is
/// cancelled).
class FakeKubelets final : public KubeletBackend {
 public:
  std::mutex mutex;
  std::vector<kubelet::PodLogRequest> asked;
  std::atomic<int> cancelled{0};

  class Control final : public LogControl {
   public:
    explicit Control(FakeKubelets& k) : k_(k) {}
    void cancel() override { ++k_.cancelled; }

   private:
    FakeKubelets& k_;
  };

  std::shared_ptr<LogControl> pod_logs(const std::string& node, kubelet::PodLogRequest request,
                                       OnChunk on_chunk) override {
    {
      std::lock_guard lock(mutex);
      asked.push_back(request);
    }
    const auto text = node + ": " + request.pod_name + "/" + request.options.container + "\n";
    if (!request.options.follow) {
      kubelet::PodLogChunk c;
      c.text = text;
      on_chunk(std::move(c));
    } else {
      for (int i = 0; i < 2; ++i) {
        kubelet::PodLogChunk c;
        c.text = fmt::format("{}{}", i, text);
        c.ended = false;
        c.follow_id = 7;
        on_chunk(std::move(c));
      }
      kubelet::PodLogChunk end;
      end.follow_id = 7;
      on_chunk(std::move(end));
    }
    return std::make_shared<Control>(*this);
  }

  /// Summaries fail (the kubelet is not reachable) while set.
  std::atomic<bool> down{false};

  void summary(const std::string& node, OnSummary done) override {
    if (down)
      return done(api::fail(api::Status{503, "ServiceUnavailable", "the kubelet is down", {}}));
    kubelet::Summary s;
    s.node.node_name = node;
    s.node.cpu.time = test_now();
    s.node.cpu.usage_nano_cores = 250'000'000;
    s.node.cpu.usage_core_nano_seconds = 12'500'000'000;
    s.node.memory.time = test_now();
    s.node.memory.working_set_bytes = 1 << 30;
    kubelet::PodStats p;
    p.pod_ref = {"web", "default", "uid-web"};
    kubelet::ContainerStats c;
    c.name = "app";
    c.cpu.usage_nano_cores = 1000;
    c.cpu.usage_core_nano_seconds = 1'500'000'000;
    c.memory.working_set_bytes = 4 << 20;
    c.rootfs = kubelet::FsStats{};
    c.rootfs->used_bytes = 4096;
    p.containers.push_back(c);
    p.cpu.usage_core_nano_seconds = 1'500'000'000;
    p.memory.working_set_bytes = 4 << 20;
    s.pods.push_back(p);
    done(std::move(s));
  }
};

std::shared_ptr<const api::Pod> running_pod(const std::string& node, const std::string& name) {
  auto pod = api::testing::make_pod("default", name);
  pod.metadata.uid = "uid-" + name;
  pod.spec.node_name = node;
  pod.status.phase = "Running";
  api::ContainerStatus cs;
  cs.name = "app";
  cs.container_id = "sim://" + name;
  cs.state.running = api::ContainerStateRunning{};
  pod.status.container_statuses.push_back(cs);
  return std::make_shared<const api::Pod>(std::move(pod));
}

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

/// A kubelet API for `nodes` (each with one running pod "web-<node>"), client CA: the PKI's.
struct Served {
  TempDir dir;
  ClusterPki pki;
  std::shared_ptr<FakeKubelets> kubelets = std::make_shared<FakeKubelets>();
  std::unique_ptr<HttpServer> server;

  /// `serving`: makes the listener's serving certificate from the PKI (its CA's pair), else
  /// it serves a self-signed one.
  explicit Served(std::vector<std::string> nodes, bool client_ca = true,
                  std::function<PemPair(const PemPair& ca)> serving = {},
                  std::function<std::map<std::string, KubeletServeOptions::CertificateFiles>(
                      const PemPair& ca)>
                      by_node = {},
                  std::chrono::milliseconds tls_reload_interval = std::chrono::minutes(1)) {
    auto made = ensure_cluster_pki(dir.path(), {}, wall_now());
    REQUIRE(made);
    pki = *made;
    KubeletServeOptions o;
    o.port = 0;
    o.tls_reload_interval = tls_reload_interval;
    if (serving) {
      auto pair = serving({pki.ca_cert_pem, read_file(dir / "ca.key")});
      write(dir / "serving.crt", pair.cert_pem);
      write(dir / "serving.key", pair.key_pem);
      o.tls_cert_file = (dir / "serving.crt").string();
      o.tls_private_key_file = (dir / "serving.key").string();
    }
    if (by_node) o.node_certificates = by_node({pki.ca_cert_pem, read_file(dir / "ca.key")});
    if (client_ca) {
      write(dir / "ca.pem", pki.ca_cert_pem);
      o.client_ca_file = (dir / "ca.pem").string();
    }
    sources.nodes = nodes;
    sources.pods_on = [](const std::string& node) {
      return std::vector<std::shared_ptr<const api::Pod>>{running_pod(node, "web-" + node)};
    };
    sources.kubelets = kubelets;
    options = o;
    start();
  }

  KubeletServeOptions options;
  KubeletApiSources sources;

  void start() {
    auto started = serve_kubelet_api(options, sources, wall_now());
    INFO((started ? "" : started.error().message));
    REQUIRE(started);
    server = std::move(*started);
  }
  /// Stops the listener (closing every connection) and starts it again on the same port.
  void restart() {
    options.port = server->port();
    server->stop();
    server.reset();
    start();
  }

  /// The way the API server connects: SNI of the node, its kubelet client certificate.
  /// `kubelet_ca`: --kubelet-certificate-authority's PEM (none: serving certificates are
  /// not verified).
  /// `max_idle`: HttpsKubeletOptions::max_idle_connections.
  std::shared_ptr<HttpsKubeletBackend> backend(bool with_certificate = true,
                                               const std::string& kubelet_ca = "",
                                               std::optional<size_t> max_idle = std::nullopt) {
    HttpsKubeletOptions o;
    o.max_idle_connections = max_idle;
    if (with_certificate) {
      o.client_cert_pem = pki.kubelet_client_cert_pem;
      o.client_key_pem = pki.kubelet_client_key_pem;
    }
    o.certificate_authority_pem = kubelet_ca;
    o.timeout = std::chrono::seconds(10);
    auto b = HttpsKubeletBackend::make(o, [port = server->port()](const std::string&) {
      return api::Result<KubeletEndpoint>(KubeletEndpoint{"127.0.0.1", port});
    });
    REQUIRE(b);
    return *b;
  }

  /// A plain HTTPS client to 127.0.0.1 (no SNI), with or without a client certificate.
  api::Result<client::HttpResponse> get(const std::string& target, bool with_certificate) {
    if (!with_certificate) return get_as(target, {});
    return get_as(target, {pki.kubelet_client_cert_pem, pki.kubelet_client_key_pem});
  }

  /// The same, presenting `client` (none when its certificate is empty).
  api::Result<client::HttpResponse> get_as(const std::string& target, const PemPair& client,
                                           const std::string& method = "GET") {
    client::ClusterAccess a;
    a.host = "127.0.0.1";
    a.port = server->port();
    a.server = "https://127.0.0.1:" + std::to_string(a.port);
    a.client_cert_pem = client.cert_pem;
    a.client_key_pem = client.key_pem;
    client::HttpsClient c(a, std::chrono::seconds(10));
    return c.request(method, target);
  }

  /// A client certificate of this PKI's CA for `common_name` in `groups`, as `stem`.crt/.key.
  PemPair client_pair(const std::string& stem, const std::string& common_name,
                      const std::vector<std::string>& groups) {
    auto made = ensure_client_certificate(dir.path(), certificate_path(dir.path(), stem),
                                          key_path(dir.path(), stem), common_name, groups,
                                          wall_now());
    REQUIRE(made);
    return {read_file(certificate_path(dir.path(), stem)), read_file(key_path(dir.path(), stem))};
  }
};

api::Result<kubelet::Summary> summary_of(HttpsKubeletBackend& b, const std::string& node) {
  std::promise<api::Result<kubelet::Summary>> p;
  b.summary(node, [&](api::Result<kubelet::Summary> s) { p.set_value(std::move(s)); });
  auto f = p.get_future();
  REQUIRE(f.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
  return f.get();
}

/// The chunks of one log, until it ends or fails.
std::vector<kubelet::PodLogChunk> log_of(HttpsKubeletBackend& b, const std::string& node,
                                         kubelet::PodLogRequest r) {
  std::mutex m;
  std::condition_variable cv;
  std::vector<kubelet::PodLogChunk> chunks;
  bool done = false;
  auto control = b.pod_logs(node, std::move(r), [&](kubelet::PodLogChunk c) {
    std::lock_guard lock(m);
    const bool last = c.ended || c.error;
    chunks.push_back(std::move(c));
    if (last) {
      done = true;
      cv.notify_all();
    }
  });
  std::unique_lock lock(m);
  REQUIRE(cv.wait_for(lock, std::chrono::seconds(20), [&] { return done; }));
  return chunks;
}

kubelet::PodLogRequest log_request(const std::string& pod) {
  kubelet::PodLogRequest r;
  r.pod_namespace = "default";
  r.pod_name = pod;
  r.options.container = "app";
  return r;
}

}  // namespace

TEST_CASE("kubelet API: one listener serves several nodes, chosen by SNI") {
  Served s({"n1", "n2"});
  auto b = s.backend();
  for (const char* node : {"n1", "n2"}) {
    auto summary = summary_of(*b, node);
    REQUIRE(summary);
    CHECK(summary->node.node_name == node);
    CHECK(summary->node.cpu.usage_nano_cores == 250'000'000u);
    CHECK(summary->node.cpu.time == test_now());
    REQUIRE(summary->pods.size() == 1);
    CHECK(summary->pods[0].containers[0].rootfs->used_bytes == 4096u);
  }
  SECTION("an unknown node is a 404") {
    auto summary = summary_of(*b, "n3");
    REQUIRE_FALSE(summary);
    CHECK(summary.error().code == 404);
    CHECK_THAT(summary.error().message, Catch::Contains("\"n3\" is not served here"));
  }
  SECTION("without SNI a listener of two nodes cannot tell which is meant") {
    auto r = s.get("/pods", true);
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK_THAT(r->body, Catch::Contains("SNI"));
    auto health = s.get("/healthz", true);  // the listener's health needs no node
    REQUIRE(health);
    CHECK(health->status == 200);
  }
}

TEST_CASE("kubelet API: containerLogs, plain and followed, with pods/log's query") {
  Served s({"n1", "n2"});
  auto b = s.backend();
  auto r = log_request("web-n2");
  r.options.tail_lines = 5;
  r.options.timestamps = true;
  r.options.limit_bytes = 100;
  r.options.since_seconds = 30;
  r.options.previous = false;
  auto chunks = log_of(*b, "n2", r);
  REQUIRE(chunks.size() == 1);
  REQUIRE_FALSE(chunks[0].error);
  CHECK(chunks[0].text == "n2: web-n2/app\n");
  {
    std::lock_guard lock(s.kubelets->mutex);
    REQUIRE(s.kubelets->asked.size() == 1);
    const auto& asked = s.kubelets->asked[0];
    CHECK(asked.options.tail_lines == 5);
    CHECK(asked.options.timestamps);
    CHECK(asked.options.limit_bytes == 100);
    CHECK(asked.options.since_seconds == 30);
    CHECK(asked.pod_uid == "uid-web-n2");
    CHECK(asked.container_id == "sim://web-n2");  // from the pod's status
  }

  SECTION("follow: the lines arrive as chunks, then the end") {
    auto f = log_request("web-n1");
    f.options.follow = true;
    auto followed = log_of(*b, "n1", f);
    std::string text;
    for (const auto& c : followed) {
      CHECK_FALSE(c.error);
      text += c.text;
    }
    CHECK(text == "0n1: web-n1/app\n1n1: web-n1/app\n");
    CHECK(followed.back().ended);
  }
  SECTION("a pod that is not on the node is a 404") {
    auto chunks2 = log_of(*b, "n1", log_request("web-n2"));
    REQUIRE(chunks2.size() == 1);
    REQUIRE(chunks2[0].error);
    CHECK(chunks2[0].error->code == 404);
  }
  SECTION("an unknown container is pods/log's 400") {
    auto bad = log_request("web-n1");
    bad.options.container = "sidecar";
    auto chunks2 = log_of(*b, "n1", bad);
    REQUIRE(chunks2[0].error);
    CHECK(chunks2[0].error->code == 400);
  }
}

TEST_CASE("kubelet API: a client CA admits only certificates it signed (401 otherwise)") {
  Served s({"n1"});
  SECTION("no client certificate: 401, but /healthz answers") {
    auto r = s.get("/pods", false);
    REQUIRE(r);
    CHECK(r->status == 401);
    auto health = s.get("/healthz", false);
    REQUIRE(health);
    CHECK(health->status == 200);
    CHECK(health->body == "ok");
    auto summary = summary_of(*s.backend(false), "n1");
    REQUIRE_FALSE(summary);
    CHECK(summary.error().code == 401);
  }
  SECTION("a certificate from another CA fails the handshake") {
    TempDir other_dir;
    auto other = ensure_cluster_pki(other_dir.path(), {}, wall_now());
    REQUIRE(other);
    client::ClusterAccess a;
    a.host = "127.0.0.1";
    a.port = s.server->port();
    a.server = "https://127.0.0.1:" + std::to_string(a.port);
    a.client_cert_pem = other->kubelet_client_cert_pem;
    a.client_key_pem = other->kubelet_client_key_pem;
    client::HttpsClient c(a, std::chrono::seconds(10));
    auto r = c.request("GET", "/pods");
    CHECK((!r || r->status == 401));
  }
  SECTION("the cluster's kubelet client certificate: /pods, /metrics, /stats/summary") {
    auto pods = s.get("/pods", true);  // one node: no SNI needed
    REQUIRE(pods);
    REQUIRE(pods->status == 200);
    auto list = nlohmann::json::parse(pods->body);
    CHECK(list["kind"] == "PodList");
    REQUIRE(list["items"].size() == 1);
    CHECK(list["items"][0]["metadata"]["name"] == "web-n1");
    CHECK(list["items"][0]["spec"]["nodeName"] == "n1");

    auto metrics = s.get("/metrics", true);
    REQUIRE(metrics);
    CHECK(metrics->status == 200);
    CHECK_THAT(metrics->body, Catch::Contains("kubelet_running_pods 1\n"));
    CHECK_THAT(metrics->body, Catch::Contains("kubelet_node_name{node=\"n1\"} 1\n"));

    auto summary = s.get("/stats/summary", true);
    REQUIRE(summary);
    REQUIRE(summary->status == 200);
    auto back = summary_from_json(nlohmann::json::parse(summary->body));
    REQUIRE(back);
    CHECK(back->node.node_name == "n1");

    auto unknown = s.get("/configz", true);
    REQUIRE(unknown);
    CHECK(unknown->status == 404);
  }
}

TEST_CASE("kubelet API: only the API server's client identity and system:masters are authorized") {
  Served s({"n1"});
  // The identities `kactor certs` issues, and one the cluster knows nothing of.
  const std::vector<std::tuple<std::string, std::string, std::vector<std::string>>> denied = {
      {"nodes/n1", "system:node:n1", {"system:nodes"}},
      {"scheduler", "system:kube-scheduler", {}},
      {"stranger", "someone", {"developers"}}};
  for (const auto& [stem, user, groups] : denied) {
    INFO(user);
    const auto pair = s.client_pair(stem, user, groups);
    for (const auto& [path, subresource] :
         {std::pair{"/pods", "proxy"}, std::pair{"/stats/summary", "stats"}}) {
      INFO(path);
      auto r = s.get_as(path, pair);
      REQUIRE(r);
      CHECK(r->status == 403);
      CHECK(r->body == fmt::format("Forbidden (user={}, verb=get, resource=nodes, subresource={})",
                                   user, subresource));
    }
    // Before any routing: a path that does not exist and a method that is not served are
    // refused the same way, as upstream's filter does.
    auto unknown = s.get_as("/configz", pair);
    REQUIRE(unknown);
    CHECK(unknown->status == 403);
    auto post = s.get_as("/pods", pair, "POST");
    REQUIRE(post);
    CHECK(post->status == 403);
    CHECK_THAT(post->body, Catch::Contains("verb=create"));
    // The listener's health stays open to everyone.
    auto health = s.get_as("/healthz", pair);
    REQUIRE(health);
    CHECK(health->status == 200);
  }
  SECTION("the API server's client identity (and the metrics servers presenting it): 200") {
    for (const char* path : {"/pods", "/stats/summary", "/metrics", "/metrics/resource",
                             "/containerLogs/default/web-n1/app"}) {
      INFO(path);
      auto r = s.get(path, true);
      REQUIRE(r);
      CHECK(r->status == 200);
    }
    // Without system:masters too: kubeadm binds system:kubelet-api-admin to the user itself.
    auto user_only = s.client_pair("kubelet-client-only", std::string(kKubeletClientCommonName), {});
    auto r = s.get_as("/stats/summary", user_only);
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  SECTION("system:masters (the admin): 200") {
    auto admin = s.get_as("/pods", {s.pki.admin_cert_pem, s.pki.admin_key_pem});
    REQUIRE(admin);
    CHECK(admin->status == 200);
  }
  SECTION("the API server's way in (HttpsKubeletBackend) hears the 403 as a Forbidden Status") {
    const auto pair = s.client_pair("nodes/n1", "system:node:n1", {"system:nodes"});
    HttpsKubeletOptions o;
    o.client_cert_pem = pair.cert_pem;
    o.client_key_pem = pair.key_pem;
    auto b = HttpsKubeletBackend::make(o, [port = s.server->port()](const std::string&) {
      return api::Result<KubeletEndpoint>(KubeletEndpoint{"127.0.0.1", port});
    });
    REQUIRE(b);
    auto summary = summary_of(**b, "n1");
    REQUIRE_FALSE(summary);
    CHECK(summary.error().code == 403);
    CHECK(summary.error().reason == "Forbidden");
    CHECK(summary.error().message ==
          "Forbidden (user=system:node:n1, verb=get, resource=nodes, subresource=stats)");
    auto chunks = log_of(**b, "n1", log_request("web-n1"));
    REQUIRE(chunks.size() == 1);
    REQUIRE(chunks[0].error);
    CHECK(chunks[0].error->code == 403);
    CHECK_THAT(chunks[0].error->message, Catch::Contains("subresource=proxy"));
  }
}

TEST_CASE("kubelet API: /metrics/resource, upstream's resource metrics from the summary") {
  Served s({"n1"});
  auto r = s.get("/metrics/resource", true);
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(test_now()).time_since_epoch().count();
  INFO(r->body);
  CHECK_THAT(r->body, Catch::Contains("# TYPE node_cpu_usage_seconds_total counter\n"
                                      "node_cpu_usage_seconds_total 12.5 " + std::to_string(ms) + "\n"));
  CHECK_THAT(r->body, Catch::Contains("node_memory_working_set_bytes 1073741824 " +
                                      std::to_string(ms) + "\n"));
  CHECK_THAT(r->body, Catch::Contains(
                          "container_cpu_usage_seconds_total{container=\"app\",namespace=\"default\","
                          "pod=\"web\"} 1.5\n"));
  CHECK_THAT(r->body, Catch::Contains(
                          "container_memory_working_set_bytes{container=\"app\",namespace=\"default\","
                          "pod=\"web\"} 4194304\n"));
  CHECK_THAT(r->body, Catch::Contains("pod_cpu_usage_seconds_total{namespace=\"default\",pod=\"web\"} 1.5\n"));
  CHECK_THAT(r->body,
             Catch::Contains("pod_memory_working_set_bytes{namespace=\"default\",pod=\"web\"} 4194304\n"));
  CHECK_THAT(r->body, Catch::Contains("\nscrape_error 0\n"));

  SECTION("a summary that cannot be had is scrape_error 1, still a 200 page") {
    s.kubelets->down = true;
    auto failed = s.get("/metrics/resource", true);
    REQUIRE(failed);
    CHECK(failed->status == 200);
    CHECK_THAT(failed->body, Catch::Contains("\nscrape_error 1\n"));
    CHECK_THAT(failed->body, Catch::Contains("\nresource_scrape_error 1\n"));
    CHECK(failed->body.find("node_cpu_usage_seconds_total") == std::string::npos);
  }
  SECTION("authorized as nodes/metrics: a node's certificate is refused") {
    auto node = s.client_pair("nodes/n1", "system:node:n1", {"system:nodes"});
    auto refused = s.get_as("/metrics/resource", node);
    REQUIRE(refused);
    CHECK(refused->status == 403);
    CHECK(refused->body ==
          "Forbidden (user=system:node:n1, verb=get, resource=nodes, subresource=metrics)");
  }
}

TEST_CASE("kubelet API: without a client CA nobody is authenticated and everything is served") {
  Served s({"n1"}, /*client_ca=*/false);
  // A certificate is not asked for, so its identity is not read: a node's passes.
  const auto pair = s.client_pair("nodes/n1", "system:node:n1", {"system:nodes"});
  auto r = s.get_as("/pods", pair);
  REQUIRE(r);
  CHECK(r->status == 200);
  auto anonymous = s.get_as("/stats/summary", {});
  REQUIRE(anonymous);
  CHECK(anonymous->status == 200);
}

TEST_CASE("kubelet API: --kubelet-certificate-authority verifies the serving certificate and "
          "the node name") {
  SECTION("without it (upstream's default) a self-signed serving certificate is accepted") {
    Served s({"n1"});
    CHECK(summary_of(*s.backend(), "n1"));
  }
  SECTION("a self-signed serving certificate is refused, naming the flag and why") {
    Served s({"n1"});
    auto summary = summary_of(*s.backend(true, s.pki.ca_cert_pem), "n1");
    REQUIRE_FALSE(summary);
    CHECK(summary.error().code == 503);
    CHECK_THAT(summary.error().message,
               Catch::Contains("the kubelet of node \"n1\" could not be reached") &&
                   Catch::Contains("its serving certificate does not verify against "
                                   "--kubelet-certificate-authority for node name \"n1\"") &&
                   Catch::Contains("self"));
    // Logs go the same way.
    auto chunks = log_of(*s.backend(true, s.pki.ca_cert_pem), "n1", log_request("web-n1"));
    REQUIRE(chunks.size() == 1);
    REQUIRE(chunks[0].error);
    CHECK_THAT(chunks[0].error->message, Catch::Contains("--kubelet-certificate-authority"));
  }
  SECTION("a serving certificate of another CA is refused") {
    TempDir other_dir;
    auto other = ensure_cluster_pki(other_dir.path(), {}, wall_now());
    REQUIRE(other);
    const PemPair other_ca{other->ca_cert_pem, read_file(other_dir / "ca.key")};
    Served s({"n1"}, true, [&](const PemPair&) {
      auto pair = serving_pair_signed_by(other_ca, "n1", {"n1", "127.0.0.1"}, wall_now());
      REQUIRE(pair);
      return *pair;
    });
    auto summary = summary_of(*s.backend(true, s.pki.ca_cert_pem), "n1");
    REQUIRE_FALSE(summary);
    CHECK(summary.error().code == 503);
    CHECK_THAT(summary.error().message,
               Catch::Contains("--kubelet-certificate-authority") &&
                   Catch::Contains("unable to get local issuer certificate"));
    // The CA that did sign it is accepted.
    CHECK(summary_of(*s.backend(true, other->ca_cert_pem), "n1"));
  }
  SECTION("a certificate of the CA serves the nodes it names, and only those") {
    Served s({"n1", "n2"}, true, [](const PemPair& ca) {
      auto pair = serving_pair_signed_by(ca, "n1", {"n1", "127.0.0.1"}, wall_now());
      REQUIRE(pair);
      return *pair;
    });
    auto b = s.backend(true, s.pki.ca_cert_pem);
    auto n1 = summary_of(*b, "n1");
    REQUIRE(n1);
    CHECK(n1->node.node_name == "n1");
    auto n2 = summary_of(*b, "n2");
    REQUIRE_FALSE(n2);
    CHECK_THAT(n2.error().message, Catch::Contains("for node name \"n2\"") &&
                                       Catch::Contains("hostname mismatch"));
  }
  SECTION("each node served with its own certificate, chosen by the SNI asked for") {
    TempDir certs;
    Served s({"n1", "n2", "n3"}, true, {}, [&](const PemPair& ca) {
      std::map<std::string, KubeletServeOptions::CertificateFiles> by_node;
      std::filesystem::create_directories(certs.path());
      for (const std::string node : {"n1", "n2"}) {
        auto pair = serving_pair_signed_by(ca, "system:node:" + node, {node}, wall_now());
        REQUIRE(pair);
        write(certs / (node + ".crt"), pair->cert_pem);
        write(certs / (node + ".key"), pair->key_pem);
        by_node[node] = {(certs / (node + ".crt")).string(), (certs / (node + ".key")).string()};
      }
      return by_node;
    });
    auto b = s.backend(true, s.pki.ca_cert_pem);
    for (const std::string node : {"n1", "n2"}) {
      auto summary = summary_of(*b, node);
      INFO(node << ": " << (summary ? "" : summary.error().message));
      REQUIRE(summary);
      CHECK(summary->node.node_name == node);
    }
    // A node without one gets the listener's default, here self-signed: refused.
    auto n3 = summary_of(*b, "n3");
    REQUIRE_FALSE(n3);
    CHECK_THAT(n3.error().message, Catch::Contains("for node name \"n3\""));
  }
  SECTION("the node's name only as the common name does not do: it must be a DNS SAN") {
    Served s({"n1"}, true, [](const PemPair& ca) {
      auto pair = serving_pair_signed_by(ca, "n1", {"127.0.0.1"}, wall_now());
      REQUIRE(pair);
      return *pair;
    });
    auto n1 = summary_of(*s.backend(true, s.pki.ca_cert_pem), "n1");
    REQUIRE_FALSE(n1);
    CHECK_THAT(n1.error().message, Catch::Contains("hostname mismatch"));
  }
  SECTION("a CA that is not PEM is refused at start, naming the flag") {
    HttpsKubeletOptions o;
    o.certificate_authority_pem = "not a certificate";
    auto b = HttpsKubeletBackend::make(o, {});
    REQUIRE_FALSE(b);
    CHECK(b.error().code == 400);
    CHECK_THAT(b.error().message, Catch::Contains("--kubelet-certificate-authority"));
  }
}

TEST_CASE("kubelet API: a node's serving certificate replaced on disk serves the next "
          "connections") {
  TempDir certs;
  TempDir other_dir;
  auto other = ensure_cluster_pki(other_dir.path(), {}, wall_now());
  REQUIRE(other);
  const PemPair foreign_ca{other->ca_cert_pem, read_file(other_dir / "ca.key")};
  auto write_pair = [&](const PemPair& ca) {
    auto pair = serving_pair_signed_by(ca, "system:node:n1", {"n1"}, wall_now());
    REQUIRE(pair);
    write(certs / "n1.crt", pair->cert_pem);
    write(certs / "n1.key", pair->key_pem);
  };
  PemPair cluster_ca;
  Served s(
      {"n1"}, true, {},
      [&](const PemPair& ca) {
        cluster_ca = ca;
        std::filesystem::create_directories(certs.path());
        write_pair(foreign_ca);  // at start: of another CA, which the API server refuses
        return std::map<std::string, KubeletServeOptions::CertificateFiles>{
            {"n1", {(certs / "n1.crt").string(), (certs / "n1.key").string()}}};
      },
      std::chrono::milliseconds(20));
  auto refused = summary_of(*s.backend(true, s.pki.ca_cert_pem), "n1");
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("unable to get local issuer certificate"));

  write_pair(cluster_ca);  // renewed by the cluster's CA
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  api::Result<kubelet::Summary> summary = refused;
  while (!summary && std::chrono::steady_clock::now() < deadline)
    summary = summary_of(*s.backend(true, s.pki.ca_cert_pem), "n1");  // a new connection
  INFO((summary ? "" : summary.error().message));
  REQUIRE(summary);
  CHECK(summary->node.node_name == "n1");
}

TEST_CASE("kubelet API: the API server's client certificate renewed on disk is presented on "
          "the next connections") {
  Served s({"n1"});
  TempDir other_dir;
  auto other = ensure_cluster_pki(other_dir.path(), {}, wall_now());
  REQUIRE(other);
  std::mutex m;
  PemPair on_disk{other->kubelet_client_cert_pem, other->kubelet_client_key_pem};
  HttpsKubeletOptions o;
  o.client_cert_pem = on_disk.cert_pem;  // of another cluster's CA: the kubelet refuses it
  o.client_key_pem = on_disk.key_pem;
  o.timeout = std::chrono::seconds(10);
  o.client_certificate_reload_interval = std::chrono::milliseconds(0);  // before every call
  o.reload_client_certificate = [&] {
    std::lock_guard lock(m);
    return api::Result<PemPair>(on_disk);
  };
  auto b = HttpsKubeletBackend::make(o, [port = s.server->port()](const std::string&) {
    return api::Result<KubeletEndpoint>(KubeletEndpoint{"127.0.0.1", port});
  });
  REQUIRE(b);
  CHECK_FALSE(summary_of(**b, "n1"));

  {
    std::lock_guard lock(m);
    on_disk = {s.pki.kubelet_client_cert_pem, s.pki.kubelet_client_key_pem};  // renewed
  }
  auto summary = summary_of(**b, "n1");
  INFO((summary ? "" : summary.error().message));
  REQUIRE(summary);
  CHECK(summary->node.node_name == "n1");

  CHECK((*b)->reused_connections() == 0);

  {
    std::lock_guard lock(m);
    on_disk.key_pem = other->kubelet_client_key_pem;  // caught half rewritten: not loaded
  }
  CHECK(summary_of(**b, "n1"));
  CHECK((*b)->reused_connections() == 1);  // the certificate in use: its connection serves

  // Renewed again: the kept connection presented the old certificate, so it is dropped.
  {
    std::lock_guard lock(m);
    on_disk = s.client_pair("renewed", "kube-apiserver-kubelet-client", {"system:masters"});
  }
  CHECK(summary_of(**b, "n1"));
  CHECK((*b)->reused_connections() == 1);
  CHECK(summary_of(**b, "n1"));
  CHECK((*b)->reused_connections() == 2);
}

TEST_CASE("kubelet API: a node's next connection resumes its TLS session, and only that node's") {
  Served s({"n1", "n2"}, true, [](const PemPair& ca) {
    auto pair = serving_pair_signed_by(ca, "n1", {"n1", "127.0.0.1"}, wall_now());
    REQUIRE(pair);
    return *pair;
  });
  // No connection is kept: every request connects again.
  auto b = s.backend(true, s.pki.ca_cert_pem, 0);
  REQUIRE(summary_of(*b, "n1"));
  CHECK(b->resumed_handshakes() == 0);
  auto again = summary_of(*b, "n1");
  REQUIRE(again);
  CHECK(again->node.node_name == "n1");
  CHECK(b->resumed_handshakes() == 1);
  // n1's session is never offered for n2: the same listener's certificate names n1 only, and
  // n2's full handshake still refuses it.
  auto n2 = summary_of(*b, "n2");
  REQUIRE_FALSE(n2);
  CHECK_THAT(n2.error().message, Catch::Contains("hostname mismatch"));
  CHECK(b->resumed_handshakes() == 1);
  REQUIRE(summary_of(*b, "n1"));
  CHECK(b->resumed_handshakes() == 2);
  // Without --kubelet-certificate-authority (nothing verified) sessions are resumed as well.
  auto unverified = s.backend(true, "", 0);
  REQUIRE(summary_of(*unverified, "n2"));
  REQUIRE(summary_of(*unverified, "n2"));
  CHECK(unverified->resumed_handshakes() == 1);
  CHECK(b->reused_connections() == 0);
  CHECK(unverified->reused_connections() == 0);
}

TEST_CASE("kubelet API: a node's next request uses the connection its last one left open") {
  Served s({"n1", "n2"});
  auto b = s.backend();
  REQUIRE(summary_of(*b, "n1"));
  CHECK(b->reused_connections() == 0);
  auto again = summary_of(*b, "n1");
  REQUIRE(again);
  CHECK(again->node.node_name == "n1");
  CHECK(b->reused_connections() == 1);
  // Each node has a connection of its own (the listener chose n1's by SNI).
  auto n2 = summary_of(*b, "n2");
  REQUIRE(n2);
  CHECK(n2->node.node_name == "n2");
  CHECK(b->reused_connections() == 1);
  // A log that is not followed goes on n1's connection too, and leaves it open.
  auto chunks = log_of(*b, "n1", log_request("web-n1"));
  REQUIRE(chunks.size() == 1);
  CHECK_FALSE(chunks[0].error);
  CHECK(chunks[0].text == "n1: web-n1/app\n");
  CHECK(b->reused_connections() == 2);
  REQUIRE(summary_of(*b, "n1"));
  CHECK(b->reused_connections() == 3);
  // A followed log gets a connection of its own: n1's is still there afterwards.
  auto followed = log_request("web-n1");
  followed.options.follow = true;
  auto streamed = log_of(*b, "n1", followed);
  REQUIRE_FALSE(streamed.empty());
  CHECK_FALSE(streamed.back().error);
  CHECK(b->reused_connections() == 3);
  REQUIRE(summary_of(*b, "n1"));
  CHECK(b->reused_connections() == 4);

  SECTION("a kubelet that closed the kept connections is asked again on new ones") {
    s.restart();
    auto after = summary_of(*b, "n1");
    INFO((after ? "" : after.error().message));
    REQUIRE(after);
    CHECK(after->node.node_name == "n1");
    CHECK(b->reused_connections() == 4);
    REQUIRE(summary_of(*b, "n1"));
    CHECK(b->reused_connections() == 5);
  }
  SECTION("past max_idle_connections an answer's connection is closed, not kept") {
    auto one = s.backend(true, "", 1);
    REQUIRE(summary_of(*one, "n1"));  // kept: the only one
    REQUIRE(summary_of(*one, "n2"));  // not kept: the pool is full
    REQUIRE(summary_of(*one, "n2"));
    CHECK(one->reused_connections() == 0);
    REQUIRE(summary_of(*one, "n1"));
    CHECK(one->reused_connections() == 1);
  }
  SECTION("a connection idle longer than idle_connection_timeout is not used") {
    HttpsKubeletOptions o;
    o.client_cert_pem = s.pki.kubelet_client_cert_pem;
    o.client_key_pem = s.pki.kubelet_client_key_pem;
    o.idle_connection_timeout = std::chrono::milliseconds(0);
    auto made = HttpsKubeletBackend::make(o, [port = s.server->port()](const std::string&) {
      return api::Result<KubeletEndpoint>(KubeletEndpoint{"127.0.0.1", port});
    });
    REQUIRE(made);
    REQUIRE(summary_of(**made, "n1"));
    REQUIRE(summary_of(**made, "n1"));
    CHECK((*made)->reused_connections() == 0);
    CHECK((*made)->resumed_handshakes() == 1);
  }
}

TEST_CASE("kubelet API: flags are checked, naming the flag") {
  KubeletApiSources sources;
  sources.nodes = {"n1"};
  KubeletServeOptions o;
  o.port = 0;
  o.address = "0.0.0.0";
  auto open = serve_kubelet_api(o, sources, wall_now());
  REQUIRE_FALSE(open);
  CHECK_THAT(open.error().message, Catch::Contains("--client-ca-file"));
  o.address = "127.0.0.1";
  o.tls_cert_file = "/nonexistent.crt";
  auto half = serve_kubelet_api(o, sources, wall_now());
  REQUIRE_FALSE(half);
  CHECK_THAT(half.error().message, Catch::Contains("--tls-private-key-file"));
  o.tls_private_key_file = "/nonexistent.key";
  auto missing = serve_kubelet_api(o, sources, wall_now());
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error().message, Catch::Contains("--tls-cert-file /nonexistent.crt"));
}

TEST_CASE("kubelet endpoint of a Node: ExternalIP first, the daemonEndpoints port") {
  api::Node n;
  n.metadata.name = "a-0";
  n.status.addresses = {{"InternalIP", "172.18.0.9"}, {"ExternalIP", "127.0.0.1"}};
  auto none = kubelet_endpoint_of(n);
  REQUIRE_FALSE(none);
  CHECK(none.error().code == 503);
  CHECK_THAT(none.error().message, Catch::Contains("kubeletEndpoint"));
  n.status.daemon_endpoints.kubelet_endpoint.port = 10250;
  auto e = kubelet_endpoint_of(n);
  REQUIRE(e);
  CHECK(*e == KubeletEndpoint{"127.0.0.1", 10250});
  n.status.addresses = {{"InternalIP", "172.18.0.9"}};
  CHECK(kubelet_endpoint_of(n).value() == KubeletEndpoint{"172.18.0.9", 10250});
}

TEST_CASE("container_logs_target carries pods/log's query") {
  auto r = log_request("web");
  r.options.follow = true;
  r.options.tail_lines = 3;
  r.options.previous = true;
  CHECK(container_logs_target(r) ==
        "/containerLogs/default/web/app?follow=true&previous=true&tailLines=3");
}

TEST_CASE("summary_from_json reads what summary_json writes, and names a bad field") {
  kubelet::Summary s;
  s.node.node_name = "n1";
  s.node.start_time = test_now();
  s.node.memory.working_set_bytes = 123;
  s.node.image_fs = kubelet::FsStats{};
  s.node.image_fs->capacity_bytes = 9;
  kubelet::PodStats p;
  p.pod_ref = {"web", "default", "u1"};
  p.cpu.usage_nano_cores = 5;
  s.pods.push_back(p);
  auto back = summary_from_json(nlohmann::json::parse(summary_json(s).dump()));
  REQUIRE(back);
  CHECK(*back == s);

  auto bad = summary_from_json(
      nlohmann::json::parse(R"({"node":{"nodeName":"n1","cpu":{"usageNanoCores":"many"}}})"));
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error().message, Catch::Contains("node.cpu.usageNanoCores"));
}
