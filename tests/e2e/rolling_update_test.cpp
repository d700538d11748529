// `kactor rolling-update` as a user runs it: a separate process that reads the kubeconfig of a
// served cluster (HTTPS, the cluster CA, the admin's certificate) and rolls an RC that the real
// kubectl created; kubectl then sees the result. Real time: short update periods.
#include <catch2/catch.hpp>

#include <filesystem>

#include "api/types/all.hpp"
#include "api/types/pod_util.hpp"
#include "child_process.hpp"
#include "kubectl_fixture.hpp"

using namespace kactor::testing;
namespace api = kactor::api;

namespace {

std::string manifest(const std::string& name) {
  return (std::filesystem::path(KACTOR_E2E_MANIFESTS_DIR) / "rollingupdate" / name).string();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

/// `kactor rolling-update <args>` against the cluster, at most two minutes.
ProcessResult rolling_update(const ServedCluster& c, std::vector<std::string> args) {
  std::vector<std::string> argv{KACTOR_BINARY, "rolling-update"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--kubeconfig=" + c.api->kubeconfig().string());
  auto r = run_process(argv, {}, "", std::chrono::minutes(2));
  UNSCOPED_INFO("kactor rolling-update stdout:\n" << r.out << "stderr:\n" << r.err);
  return r;
}

/// Three ready app=web pods, none being deleted, all running `image`.
bool web_ready(const ServedCluster& c, const std::string& image) {
  return c.cluster->wait_for(
      api::Pod::static_type(),
      [&](const std::vector<api::ObjectPtr>& objs) {
        int ready = 0;
        for (auto& o : objs) {
          auto p = api::as<api::Pod>(o);
          if (!p || !p->metadata.labels.contains("app") || p->metadata.deletion_timestamp) continue;
          if (p->spec.containers.at(0).image != image || !api::is_ready(*p)) return false;
          ++ready;
        }
        return ready == 3;
      },
      std::chrono::seconds(60));
}

}  // namespace

TEST_CASE("kactor rolling-update rolls an RC to a new image over HTTPS", "[rollingupdate]") {
  ServedCluster c(true);
  Kubectl k(kubectls().back(), c);
  auto applied = k.run({"apply", "-f", manifest("web-rc.yaml")});
  INFO("kubectl: " << applied.err);
  REQUIRE(applied.exit_code == 0);
  REQUIRE(web_ready(c, "nginx:1.26"));

  auto r = rolling_update(c, {"web", "--image=nginx:1.27", "--update-period=1s",
                              "--poll-interval=200ms", "--timeout=60s"});
  REQUIRE(r.exit_code == 0);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 11);
  REQUIRE(lines[0].starts_with("Created web-"));
  const auto next = lines[0].substr(8);
  CHECK(lines[1] == "Scaling up " + next + " from 0 to 3, scaling down web from 3 to 0 (keep 3 "
                    "pods available, don't exceed 4 pods)");
  CHECK(lines[2] == "Scaling " + next + " up to 1");
  CHECK(lines[3] == "Scaling web down to 2");
  CHECK(lines[8] == "Update succeeded. Deleting old controller: web");
  CHECK(lines[9] == "Renaming " + next + " to web");
  CHECK(lines[10] == "replicationcontroller/web rolling updated");

  auto image = k.run({"get", "rc", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"});
  CHECK(image.out == "nginx:1.27");
  auto selector = k.run({"get", "rc", "web", "-o", "jsonpath={.spec.selector.deployment}"});
  CHECK(next == "web-" + selector.out);
  CHECK(web_ready(c, "nginx:1.27"));
}

TEST_CASE("kactor rolling-update to a new controller from a file, and its errors",
          "[rollingupdate]") {
  ServedCluster c(true);
  Kubectl k(kubectls().back(), c);
  REQUIRE(k.run({"apply", "-f", manifest("web-rc.yaml")}).exit_code == 0);
  REQUIRE(web_ready(c, "nginx:1.26"));

  // web's selector has no `version`: web-v2's selector shares no key with a different value.
  auto refused = rolling_update(c, {"web", "-f", manifest("web-v2-rc.yaml")});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err == "error: web-v2 must specify a matching key with non-equal value in "
                       "Selector for web\n");
  auto bad_flag = rolling_update(c, {"web", "--image=x", "--max-surge=lots"});
  CHECK(bad_flag.exit_code == 1);
  CHECK(bad_flag.err == "error: --max-surge must be a non-negative integer or a percentage such "
                        "as 25%, not \"lots\"\n");
  auto no_config = run_process({KACTOR_BINARY, "rolling-update", "web", "--image=x",
                                "--kubeconfig=/nonexistent/config"},
                               {}, "", std::chrono::seconds(30));
  CHECK(no_config.exit_code == 1);
  CHECK(no_config.err == "error: kubeconfig /nonexistent/config: cannot be read\n");
  auto absent = rolling_update(c, {"absent", "--image=x"});
  CHECK(absent.exit_code == 1);
  CHECK(absent.err == "error: replicationcontrollers \"absent\" not found\n");

  // With `version: v1` on web's selector and pods, the file's controller is a valid successor.
  REQUIRE(k.run({"label", "pods", "-l", "app=web", "version=v1"}).exit_code == 0);
  REQUIRE(k.run({"patch", "rc", "web", "-p",
                 R"({"spec":{"selector":{"version":"v1"},"template":{"metadata":{"labels":{"version":"v1"}}}}})"})
              .exit_code == 0);
  auto r = rolling_update(c, {"web", "-f", manifest("web-v2-rc.yaml"), "--update-period=1s",
                              "--poll-interval=200ms", "--max-surge=100%", "--max-unavailable=0"});
  REQUIRE(r.exit_code == 0);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() >= 4);
  CHECK(lines[0] == "Created web-v2");
  CHECK(lines[1] == "Scaling up web-v2 from 0 to 3, scaling down web from 3 to 0 (keep 3 pods "
                    "available, don't exceed 6 pods)");
  CHECK(lines[2] == "Scaling web-v2 up to 3");
  CHECK(lines[lines.size() - 2] == "Update succeeded. Deleting web");
  CHECK(lines.back() == "replicationcontroller/web rolling updated to \"web-v2\"");
  // Deleted (its orphan finalizer may hold it a moment after the command ended).
  CHECK(c.cluster->wait_for(api::ReplicationController::static_type(),
                            [](const std::vector<api::ObjectPtr>& objs) {
                              for (auto& o : objs)
                                if (o->metadata.name == "web") return false;
                              return true;
                            }));
  CHECK(web_ready(c, "nginx:1.27"));
}
