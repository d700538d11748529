// Pod volume validation (api/validation/volume_validation.cpp).
#include "tests/api/validation/validation_support.hpp"

using namespace kactor::api;
using namespace kactor::api::testing;

TEST_CASE("validation of pod volumes: upstream field paths and messages", "[validation]") {
  auto with_volumes = [](const std::string& volumes) {
    return pod_json(R"({"containers":[{"name":"c","image":"i"}],"volumes":)" + volumes + "}");
  };
  check_cases({
      {"every source is one volume type",
       with_volumes(R"([{"name":"a","nfs":{"server":"s","path":"/"}},
                        {"name":"b","csi":{"driver":"d"}},{"name":"c","projected":{"sources":[]}}])"),
       "",
       {}},
      {"a second source is refused, whichever it is",
       with_volumes(R"([{"name":"a","emptyDir":{},"nfs":{"server":"s","path":"/"}},
                        {"name":"b","configMap":{"name":"c"},"csi":{"driver":"d"}}])"),
       "",
       {{"spec.volumes[0].nfs", "Forbidden: may not specify more than 1 volume type"},
        {"spec.volumes[1].csi", "Forbidden: may not specify more than 1 volume type"}}},
      {"configMap and secret items and modes",
       with_volumes(R"([{"name":"a","configMap":{"name":"c","defaultMode":512,
                          "items":[{"key":"","path":"../x"},{"key":"k","path":"/abs","mode":-1}]}},
                        {"name":"b","secret":{"secretName":"s","items":[{"key":"k","path":"..x"}]}}])"),
       "",
       {{"spec.volumes[0].configMap.defaultMode",
         "Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive"},
        {"spec.volumes[0].configMap.items[0].key", "Required value"},
        {"spec.volumes[0].configMap.items[0].path",
         "Invalid value: \"../x\": must not contain '..'"},
        {"spec.volumes[0].configMap.items[1].path",
         "Invalid value: \"/abs\": must be a relative path"},
        {"spec.volumes[0].configMap.items[1].mode",
         "Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive"},
        {"spec.volumes[1].secret.items[0].path",
         "Invalid value: \"..x\": must not start with '..'"}}},
  });
}

TEST_CASE("a volume without a source is defaulted to emptyDir", "[validation]") {
  auto pod =
      load(pod_json(R"({"containers":[{"name":"c","image":"i"}],"volumes":[{"name":"a"}]})"));
  pod->type().set_defaults(*pod);
  const auto& volume = as<Pod>(*pod)->spec.volumes[0];
  CHECK(volume.empty_dir.has_value());
  CHECK(volume_sources(volume) == std::vector<std::string_view>{"emptyDir"});
}
