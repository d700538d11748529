// Name, label and port syntax checks with upstream's exact messages.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "api/validation/names.hpp"

using namespace kactor::api;
using Errors = std::vector<std::string>;

namespace {

const std::string kLabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const std::string kSubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const std::string kDns1035Msg =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const std::string kNamePartMsg =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const std::string kLabelValueMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value', "
    " or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

}  // namespace

TEST_CASE("dns1123 labels", "[name_validation]") {
  for (const char* ok : {"a", "0", "my-name", "123-abc", "a1", "a--b"}) {
    INFO(ok);
    CHECK(is_dns1123_label(ok).empty());
  }
  CHECK(is_dns1123_label(std::string(63, 'a')).empty());
  CHECK(is_dns1123_label(std::string(64, 'a')) == Errors{"must be no more than 63 characters"});
  CHECK(is_dns1123_label("") == Errors{kLabelMsg});
  CHECK(is_dns1123_label("-a") == Errors{kLabelMsg});
  CHECK(is_dns1123_label("a-") == Errors{kLabelMsg});
  CHECK(is_dns1123_label("My") == Errors{kLabelMsg});
  CHECK(is_dns1123_label("a_b") == Errors{kLabelMsg});
  CHECK(is_dns1123_label("a.b") == Errors{"must not contain dots"});
  CHECK(is_dns1123_label(std::string(64, '.')) ==
        Errors{"must be no more than 63 characters", kLabelMsg});
}

TEST_CASE("dns1123 subdomains", "[name_validation]") {
  for (const char* ok : {"a", "example.com", "a-b.c-d.e", "0.0"}) {
    INFO(ok);
    CHECK(is_dns1123_subdomain(ok).empty());
  }
  CHECK(is_dns1123_subdomain("") == Errors{kSubdomainMsg});
  CHECK(is_dns1123_subdomain("a..b") == Errors{kSubdomainMsg});
  CHECK(is_dns1123_subdomain(".a") == Errors{kSubdomainMsg});
  CHECK(is_dns1123_subdomain("a.") == Errors{kSubdomainMsg});
  CHECK(is_dns1123_subdomain("a.-b") == Errors{kSubdomainMsg});
  CHECK(is_dns1123_subdomain("Example.com") == Errors{kSubdomainMsg});
  std::string long_name;
  while (long_name.size() < 253) long_name += "abcdefgh.";
  long_name.resize(253);
  long_name.back() = 'x';
  CHECK(is_dns1123_subdomain(long_name).empty());
  CHECK(is_dns1123_subdomain(long_name + "x") == Errors{"must be no more than 253 characters"});
}

TEST_CASE("dns1035 labels", "[name_validation]") {
  CHECK(is_dns1035_label("my-name").empty());
  CHECK(is_dns1035_label("abc-123").empty());
  CHECK(is_dns1035_label("123-abc") == Errors{kDns1035Msg});
  CHECK(is_dns1035_label("a.b") == Errors{kDns1035Msg});
  CHECK(is_dns1035_label(std::string(64, 'a')) == Errors{"must be no more than 63 characters"});
}

TEST_CASE("qualified names", "[name_validation]") {
  for (const char* ok : {"MyName", "my.name", "123-abc", "a_b", "example.com/MyName", "k8s.io/a"}) {
    INFO(ok);
    CHECK(is_qualified_name(ok).empty());
  }
  CHECK(is_qualified_name("") == Errors{"name part must be non-empty", kNamePartMsg});
  CHECK(is_qualified_name("-a") == Errors{kNamePartMsg});
  CHECK(is_qualified_name("a b") == Errors{kNamePartMsg});
  CHECK(is_qualified_name("/a") == Errors{"prefix part must be non-empty"});
  CHECK(is_qualified_name("a/") == Errors{"name part must be non-empty", kNamePartMsg});
  CHECK(is_qualified_name("Example.com/a") == Errors{"prefix part " + kSubdomainMsg});
  CHECK(is_qualified_name(std::string(64, 'a')) ==
        Errors{"name part must be no more than 63 characters"});
  CHECK(is_qualified_name("a/b/c") ==
        Errors{"a qualified name must consist of alphanumeric characters, '-', '_' or '.', and "
               "must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name', "
               " or '123-abc', regex used for validation is "
               "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix "
               "and '/' (e.g. 'example.com/MyName')"});
}

TEST_CASE("label values", "[name_validation]") {
  for (const char* ok : {"", "MyValue", "my_value", "12345", "a.b-c"}) {
    INFO(ok);
    CHECK(is_valid_label_value(ok).empty());
  }
  CHECK(is_valid_label_value("-a") == Errors{kLabelValueMsg});
  CHECK(is_valid_label_value("a/b") == Errors{kLabelValueMsg});
  CHECK(is_valid_label_value(std::string(64, 'a')) == Errors{"must be no more than 63 characters"});
}

TEST_CASE("ports", "[name_validation]") {
  CHECK(is_valid_port_num(1).empty());
  CHECK(is_valid_port_num(65535).empty());
  CHECK(is_valid_port_num(0) == Errors{"must be between 1 and 65535, inclusive"});
  CHECK(is_valid_port_num(65536) == Errors{"must be between 1 and 65535, inclusive"});
  CHECK(is_valid_port_name("http").empty());
  CHECK(is_valid_port_name("h2-c").empty());
  CHECK(is_valid_port_name("a1234567890abcd").empty());
  CHECK(is_valid_port_name("a1234567890abcde") == Errors{"must be no more than 15 characters"});
  CHECK(is_valid_port_name("80") == Errors{"must contain at least one letter (a-z)"});
  CHECK(is_valid_port_name("Http") ==
        Errors{"must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"});
  CHECK(is_valid_port_name("a--b") == Errors{"must not contain consecutive hyphens"});
  CHECK(is_valid_port_name("-ab") == Errors{"must not begin or end with a hyphen"});
  CHECK(is_valid_port_name("") ==
        Errors{"must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
               "must contain at least one letter (a-z)"});
}

TEST_CASE("identifiers, env var names and config keys", "[name_validation]") {
  CHECK(is_c_identifier("my_name").empty());
  CHECK(is_c_identifier("_x1").empty());
  CHECK(is_c_identifier("1x") ==
        Errors{"a valid C identifier must start with alphabetic character or '_', followed by a "
               "string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or "
               "'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')"});
  CHECK(is_env_var_name("MY_ENV.NAME").empty());
  CHECK(is_env_var_name("-x").empty());
  const std::string env_msg =
      "a valid environment variable name must consist of alphabetic characters, digits, '_', "
      "'-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or "
      "'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";
  CHECK(is_env_var_name("1A") == Errors{env_msg});
  CHECK(is_env_var_name("A=B") == Errors{env_msg});
  CHECK(is_env_var_name("..") == Errors{"must not be '..'"});
  CHECK(is_env_var_name("..a") == Errors{"must not start with '..'"});
  CHECK(is_config_map_key("key.name").empty());
  CHECK(is_config_map_key(".") == Errors{"must not be '.'"});
  CHECK(is_config_map_key("a/b") ==
        Errors{"a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
               "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
               "'[-._a-zA-Z0-9]+')"});
}
