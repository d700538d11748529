// YAML manifests -> JSON (typed as sigs.k8s.io/yaml types them) and JSON -> YAML.
#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "api/yaml/detail/scalar.hpp"
#include "api/yaml/yaml.hpp"

using kactor::api::json_to_yaml;
using kactor::api::yaml_to_json;
using nlohmann::json;

namespace {

/// The single value of a one-document stream, or a failure.
json one(const std::string& text) {
  auto docs = yaml_to_json(text);
  if (!docs) FAIL("unexpected error: " << docs.error().message);
  REQUIRE(docs->size() == 1);
  return (*docs)[0];
}

/// The JSON value of `v:` followed by `scalar`.
json scalar(const std::string& text) {
  return one("v: " + text + "\n")["v"];
}

const char* const kManifest = R"(# A multi-document manifest in the style of the Kubernetes docs.
apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: nginx
  namespace: demo
spec:
  replicas: 3
  selector:
    app: nginx
  template:
    metadata:
      name: nginx
      labels:
        app: nginx
        tier: "1"
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
---
# only a comment: an empty document
---
apiVersion: v1
kind: Service
metadata:
  name: my-nginx-svc
  namespace: demo
  labels:
    app: nginx
spec:
  type: LoadBalancer
  ports:
  - port: 80
    targetPort: 8080
    protocol: TCP
  selector:
    app: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: busybox
  namespace: demo
  annotations:
    note: |
      first line
      second line
    folded: >
      one
      two
spec:
  restartPolicy: Never
  containers:
  - name: busybox
    image: busybox:1.36
    command: ["sh", "-c", "echo hello; sleep 3600"]
    stdin: true
    tty: false
    resources:
      limits:
        cpu: 500m
        memory: 128Mi
    securityContext:
      runAsUser: 1000
  volumes:
  - name: config
    configMap:
      name: app-config
      defaultMode: 0644
  terminationGracePeriodSeconds: 30
  activeDeadlineSeconds: ~
)";

}  // namespace

TEST_CASE("yaml_to_json reads a multi-document manifest with Kubernetes typing", "[yaml]") {
  auto docs = yaml_to_json(kManifest);
  REQUIRE(docs.has_value());
  REQUIRE(docs->size() == 4);  // the comment-only document is skipped
  const json& ns = (*docs)[0];
  const json& rc = (*docs)[1];
  const json& svc = (*docs)[2];
  const json& pod = (*docs)[3];

  CHECK(ns == json{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "demo"}}}});

  CHECK(rc["kind"] == "ReplicationController");
  CHECK(rc["spec"]["replicas"].is_number_integer());
  CHECK(rc["spec"]["replicas"] == 3);
  CHECK(rc["spec"]["selector"] == json{{"app", "nginx"}});
  const json& labels = rc["spec"]["template"]["metadata"]["labels"];
  CHECK(labels["app"].is_string());
  CHECK(labels["tier"].is_string());  // quoted "1" stays a string
  CHECK(labels["tier"] == "1");
  const json& container = rc["spec"]["template"]["spec"]["containers"][0];
  CHECK(container["image"] == "nginx:1.14.2");
  CHECK(container["ports"][0]["containerPort"].is_number_integer());
  CHECK(container["ports"][0]["containerPort"] == 80);

  CHECK(svc["spec"]["type"] == "LoadBalancer");
  CHECK(svc["spec"]["ports"][0] == json{{"port", 80}, {"targetPort", 8080}, {"protocol", "TCP"}});

  CHECK(pod["metadata"]["annotations"]["note"] == "first line\nsecond line\n");
  CHECK(pod["metadata"]["annotations"]["folded"] == "one two\n");
  const json& c = pod["spec"]["containers"][0];
  CHECK(c["command"] == json{"sh", "-c", "echo hello; sleep 3600"});
  CHECK(c["stdin"] == true);
  CHECK(c["tty"] == false);
  CHECK(c["resources"]["limits"]["cpu"] == "500m");
  CHECK(c["resources"]["limits"]["memory"] == "128Mi");
  CHECK(c["securityContext"]["runAsUser"].is_number_integer());
  CHECK(pod["spec"]["volumes"][0]["configMap"]["defaultMode"] == 420);  // YAML 1.1 octal
  CHECK(pod["spec"]["terminationGracePeriodSeconds"] == 30);
  CHECK(pod["spec"].contains("activeDeadlineSeconds"));
  CHECK(pod["spec"]["activeDeadlineSeconds"].is_null());
}

TEST_CASE("yaml scalars are typed like sigs.k8s.io/yaml (go-yaml v2)", "[yaml]") {
  // Booleans, including YAML 1.1 forms.
  for (const char* t : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"}) {
    INFO(t);
    CHECK(scalar(t) == json(true));
  }
  for (const char* f : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n"}) {
    INFO(f);
    CHECK(scalar(f) == json(false));
  }
  for (const char* s : {"tRUE", "yES", "\"true\"", "'yes'", "!!str true"}) {
    INFO(s);
    CHECK(scalar(s).is_string());
  }
  // Nulls.
  for (const char* n : {"null", "Null", "NULL", "~", ""}) {
    INFO(n);
    CHECK(scalar(n).is_null());
  }
  CHECK(scalar("\"null\"") == "null");
  CHECK(scalar("nULL") == "nULL");

  // Integers: int64, with Go's base-0 prefixes and YAML 1.1 octal.
  CHECK(scalar("42").get<int64_t>() == 42);
  CHECK(scalar("-17").get<int64_t>() == -17);
  CHECK(scalar("+7").get<int64_t>() == 7);
  CHECK(scalar("0").get<int64_t>() == 0);
  CHECK(scalar("0755").get<int64_t>() == 493);
  CHECK(scalar("0o17").get<int64_t>() == 15);
  CHECK(scalar("0x1F").get<int64_t>() == 31);
  CHECK(scalar("0b101").get<int64_t>() == 5);
  CHECK(scalar("-0b101").get<int64_t>() == -5);
  CHECK(scalar("1_000_000").get<int64_t>() == 1000000);
  CHECK(scalar("9223372036854775807").get<int64_t>() == INT64_MAX);
  CHECK(scalar("-9223372036854775808").get<int64_t>() == INT64_MIN);
  CHECK(scalar("42").is_number_integer());
  const json big = scalar("18446744073709551615");
  CHECK(big.is_number_unsigned());
  CHECK(big.get<uint64_t>() == UINT64_MAX);
  CHECK(scalar("\"0755\"") == "0755");

  // Floats.
  CHECK(scalar("1.5").is_number_float());
  CHECK(scalar("1.5").get<double>() == 1.5);
  CHECK(scalar("1e3").get<double>() == 1000.0);
  CHECK(scalar("1e3").is_number_float());
  CHECK(scalar("-.5").get<double>() == -0.5);
  CHECK(scalar(".5").get<double>() == 0.5);
  CHECK(scalar("1.").get<double>() == 1.0);
  CHECK(scalar("08").is_number_float());  // not valid octal, so go-yaml's float fallback
  CHECK(scalar("08").get<double>() == 8.0);
  CHECK(scalar("18446744073709551616").is_number_float());
  CHECK(scalar("1e999") == "1e999");  // overflow: stays a string

  // Strings.
  for (const char* s : {"2026-01-02", "2026-01-02T10:00:00Z", "1.2.3", "0x", "0xZZ", "1e", "500m",
                        "12:30", "1,000", "<<", "+", ".", ".5.", "nginx:1.14.2", "0b102"}) {
    INFO(s);
    CHECK(scalar(s) == json(s));
  }
  CHECK(scalar("'it''s'") == "it's");
  CHECK(scalar("\"a\\tb\\u00e9\"") == "a\tb\xc3\xa9");
  CHECK(scalar("!custom 12") == "12");
  // \N and \_ are U+0085 and U+00A0, as UTF-8.
  CHECK(scalar("\"a\\Nb\\_c\\Ld\"") ==
        "a\xc2\x85"
        "b\xc2\xa0"
        "c\xe2\x80\xa8"
        "d");

  // Explicit core tags.
  CHECK(scalar("!!int \"12\"") == 12);
  CHECK(scalar("!!float 3") == 3.0);
  CHECK(scalar("!!float 3").is_number_float());
  CHECK(scalar("!!bool yes") == true);
}

TEST_CASE("yaml keys always become strings", "[yaml]") {
  const json v = one("1: a\n0x10: b\nyes: c\n\"no\": d\n1.5: e\n2026-01-02: f\nname: g\n");
  CHECK(v == json{{"1", "a"},
                  {"16", "b"},
                  {"true", "c"},
                  {"no", "d"},
                  {"1.5", "e"},
                  {"2026-01-02", "f"},
                  {"name", "g"}});
  CHECK(one("1e6: x\n") == json{{"1e+06", "x"}});
  CHECK(one("0.0001: x\n") == json{{"0.0001", "x"}});
  CHECK(one("100000.0: x\n") == json{{"100000", "x"}});
  CHECK(one("a: 1\na: 2\n") == json{{"a", 2}});  // last duplicate wins
}

TEST_CASE("yaml anchors, aliases and merge keys are expanded", "[yaml]") {
  const json v = one(R"(
base: &base
  image: nginx
  pull: Always
labels: &labels {app: web}
first:
  <<: *base
  pull: IfNotPresent
second:
  <<: [*labels, *base]
  extra: 1
copy: *labels
)");
  CHECK(v["first"] == json{{"image", "nginx"}, {"pull", "IfNotPresent"}});
  CHECK(v["second"] == json{{"app", "web"}, {"image", "nginx"}, {"pull", "Always"}, {"extra", 1}});
  CHECK(v["copy"] == json{{"app", "web"}});
  CHECK(one("\"<<\": 1\n") == json{{"<<", 1}});  // a quoted << is an ordinary key
}

TEST_CASE("yaml_to_json handles empty and JSON inputs", "[yaml]") {
  auto docs = yaml_to_json("");
  REQUIRE(docs.has_value());
  CHECK(docs->empty());
  docs = yaml_to_json("---\n---\n# nothing\n...\n");
  REQUIRE(docs.has_value());
  CHECK(docs->empty());
  docs = yaml_to_json("null\n---\na: 1\n");
  REQUIRE(docs.has_value());
  CHECK(*docs == std::vector<json>{json{{"a", 1}}});

  CHECK(one(R"({"kind": "Pod", "spec": {"replicas": 2, "ok": true, "x": null, "l": [1, "2"]}})") ==
        json{{"kind", "Pod"},
             {"spec", {{"replicas", 2}, {"ok", true}, {"x", nullptr}, {"l", {1, "2"}}}}});
  CHECK(one("- a\n- 1\n") == json{"a", 1});
  CHECK(one("hello\n") == "hello");
}

TEST_CASE("yaml errors are BadRequest with the line number", "[yaml]") {
  auto check = [](const std::string& text, const std::string& expected) {
    INFO(text);
    auto docs = yaml_to_json(text);
    REQUIRE_FALSE(docs.has_value());
    CHECK(docs.error().code == 400);
    CHECK(docs.error().reason == "BadRequest");
    CHECK(docs.error().message == expected);
  };
  check("apiVersion: v1\nkind: Pod\nmetadata: name: x\n",
        "error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this "
        "context");
  check("a: [1, 2\nb: 3\n",
        "error converting YAML to JSON: yaml: line 2: did not find expected ',' or ']'");
  check("a: *nope\n",
        "error converting YAML to JSON: yaml: line 1: the referenced anchor is not defined");
  check("a: 1\nb:\n  ~: 2\n",
        "error converting YAML to JSON: yaml: line 3: unsupported map key: null");
  check("? [1, 2]\n: x\n",
        "error converting YAML to JSON: yaml: line 1: invalid map key: a mapping or sequence");
  check("a: !!int abc\n",
        "error converting YAML to JSON: yaml: line 1: cannot decode !!str `abc` as a !!int");
  check("a: .inf\n", "error converting YAML to JSON: json: unsupported value: +Inf");
  // libyaml's wording, which go-yaml (ported from it) shares; yaml-cpp said "did not find
  // expected ',' or ']'" here.
  check("a: 1\n---\nb: [\n",
        "error converting YAML to JSON: yaml: line 4: did not find expected node content");
  check("a: ok\nb: caf\xe9\n",
        "error converting YAML to JSON: yaml: line 2: invalid leading UTF-8 octet");
  check("a:\n  <<: 1\n",
        "error converting YAML to JSON: yaml: line 2: map merge requires map or sequence of maps "
        "as the value");
}

TEST_CASE("yaml alias bombs are refused", "[yaml]") {
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 8; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += std::string(k ? ", " : "") + "*a" + std::to_string(i - 1);
    text += "]\n";
  }
  auto docs = yaml_to_json(text);
  REQUIRE_FALSE(docs.has_value());
  CHECK(docs.error().message.find("excessive aliasing") != std::string::npos);
}

TEST_CASE("json_to_yaml writes kubectl-style block YAML", "[yaml]") {
  const json pod = {{"apiVersion", "v1"},
                    {"kind", "Pod"},
                    {"metadata", {{"name", "web"}, {"labels", {{"app", "web"}, {"tier", "1"}}}}},
                    {"spec",
                     {{"containers",
                       {{{"name", "nginx"},
                         {"image", "nginx:1.14.2"},
                         {"ports", {{{"containerPort", 80}}}},
                         {"args", json::array()},
                         {"env", {{{"name", "A"}, {"value", "yes"}}}}}}},
                      {"nodeSelector", json::object()},
                      {"note", "line one\nline two\n"},
                      {"ratio", 1.0}}}};
  CHECK(json_to_yaml(pod) == R"(apiVersion: v1
kind: Pod
metadata:
  labels:
    app: web
    tier: "1"
  name: web
spec:
  containers:
  - args: []
    env:
    - name: A
      value: "yes"
    image: nginx:1.14.2
    name: nginx
    ports:
    - containerPort: 80
  nodeSelector: {}
  note: |
    line one
    line two
  ratio: 1.0
)");
  CHECK(json_to_yaml(json{{"a", {{1, 2}, {3}}}}) == "a:\n- - 1\n  - 2\n- - 3\n");
  CHECK(json_to_yaml(json("text")) == "text\n");
  CHECK(json_to_yaml(json::object()) == "{}\n");
  CHECK(json_to_yaml(json(nullptr)) == "null\n");
}

TEST_CASE("json_to_yaml quotes strings that would re-read as something else", "[yaml]") {
  for (const char* s :
       {"",      "true",   "yes",  "No",      "on",   "y",         "null",    "~",
        "0755",  "42",     "-1",   "1.5",     "1e3",  ".5",        "0x1F",    "2026-01-02",
        "<<",    "- item", "a: b", "x #y",    "#c",   "key:",      " lead",   "trail ",
        "[1]",   "{a}",    "*ref", "&anchor", "!tag", "|",         ">",       "'q'",
        "\"q\"", "%p",     "@x",   "`x",      "...",  "tab\there", "bell\x07"}) {
    INFO("[" << s << "]");
    const std::string y = json_to_yaml(json{{"k", s}});
    CHECK(y.substr(0, 4) == "k: \"");
  }
  for (const char* s : {"nginx", "nginx:1.14.2", "500m", "a b", "a#b", "http://x/y", "1.2.3",
                        "yes-please", "3 apples", "emoji \xf0\x9f\x98\x80"}) {
    INFO(s);
    CHECK(json_to_yaml(json{{"k", s}}) == std::string("k: ") + s + "\n");
  }
  CHECK(json_to_yaml(json{{"yes", 1}}) == "\"yes\": 1\n");
}

TEST_CASE("yaml round-trips through json_to_yaml", "[yaml]") {
  const json values[] = {
      json{{"s", "plain"},
           {"t", "true"},
           {"n", "0755"},
           {"i", 493},
           {"neg", -3},
           {"u", UINT64_MAX},
           {"f", 0.1},
           {"whole", 2.0},
           {"big", 1e300},
           {"tiny", 1e-300},
           {"b", false},
           {"z", nullptr},
           {"e", ""}},
      json{{"multi", "a\nb"},
           {"multi_nl", "a\nb\n"},
           {"multi_keep", "a\n\nb\n\n"},
           {"lead_space", "  indented\nnext"},
           {"trailing", "x \ny"},
           {"blank_lines", "a\n\n\nb"},
           {"nl_only", "\n"},
           {"crlf", "a\r\nb"},
           {"ctrl", std::string("a\0b", 3)},
           {"quote", "say \"hi\" \\ back"},
           {"unicode", "caf\xc3\xa9 \xe2\x80\xa8 \xc2\x85"},
           {"bom", "\xef\xbb\xbfx"}},
      json{{"list", {1, "two", {{"three", 3}}, json::array(), json::object(), {"a", {"b"}}}},
           {"nested", {{"deep", {{"deeper", {{"x", "y"}}}}}}}},
      json{"top", "level", {{"list", true}}},
      json{{"weird keys", {{"", 1}, {"yes", 2}, {"a: b", 3}, {"1", 4}, {"- x", 5}, {"#", 6}}}},
      json("just a string"),
      json(12),
      json(1.5),
  };
  for (const auto& v : values) {
    const std::string y = json_to_yaml(v);
    INFO(y);
    auto back = yaml_to_json(y);
    REQUIRE(back.has_value());
    REQUIRE(back->size() == 1);
    CHECK((*back)[0] == v);
    CHECK((*back)[0].dump() == v.dump());  // same number types too
  }
}

TEST_CASE("float map keys print as Go's FormatFloat(f, 'g', -1, 32)", "[yaml]") {
  using kactor::api::yaml::detail::float_key_string;
  CHECK(float_key_string(1.5) == "1.5");
  CHECK(float_key_string(0.1) == "0.1");
  CHECK(float_key_string(100000) == "100000");
  CHECK(float_key_string(1e6) == "1e+06");
  CHECK(float_key_string(1.25e7) == "1.25e+07");
  CHECK(float_key_string(0.0001) == "0.0001");
  CHECK(float_key_string(0.00001) == "1e-05");
  CHECK(float_key_string(-2.5) == "-2.5");
  CHECK(float_key_string(0) == "0");
  CHECK(float_key_string(3.14159265358979) == "3.1415927");
  CHECK(float_key_string(INFINITY) == ".inf");
}
