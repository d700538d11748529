// Values printed as Go's fmt prints them, so that error messages read exactly as
// kube-apiserver's (field errors quote values with %q and print slices and maps with %#v).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kactor::api::util {

/// Go's %q (strconv.Quote): double-quoted, with `\"`, `\\`, `\a` `\b` `\f` `\n` `\r` `\t` `\v`
/// escaped, other control bytes and invalid UTF-8 as `\x..`, C1 controls as `\u00..`; printable
/// UTF-8 passes through.
std::string go_quote(std::string_view s);

/// Go's %#v of a map[string]string: `map[string]string{"a":"b"}` (`map[string]string(nil)`
/// when empty).
std::string go_map(const std::map<std::string, std::string>& m);

/// Go's %#v of a []string: `[]string{"a", "b"}` (`[]string(nil)` when empty).
std::string go_strings(const std::vector<std::string>& v);

}  // namespace kactor::api::util
