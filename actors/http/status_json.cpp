#include "actors/http/status_json.hpp"

#include <nlohmann/json.hpp>

#include "api/codec/json_codec.hpp"

namespace kactor::http {

nlohmann::json status_json(const api::Status& status) {
  nlohmann::json out = {{"kind", "Status"},
                        {"apiVersion", "v1"},
                        {"metadata", nlohmann::json::object()},
                        {"status", "Failure"}};
  if (!status.message.empty()) out["message"] = status.message;
  if (!status.reason.empty()) out["reason"] = status.reason;
  auto details = api::json_codec::encode(status.details);
  if (details.is_object() && !details.empty()) out["details"] = std::move(details);
  out["code"] = status.code;
  return out;
}

nlohmann::json success_status_json(const std::string& name, const std::string& group,
                                   const std::string& kind, const std::string& uid) {
  nlohmann::json details = nlohmann::json::object();
  if (!name.empty()) details["name"] = name;
  if (!group.empty()) details["group"] = group;
  if (!kind.empty()) details["kind"] = kind;
  if (!uid.empty()) details["uid"] = uid;
  return {{"kind", "Status"},  {"apiVersion", "v1"}, {"metadata", nlohmann::json::object()},
          {"status", "Success"}, {"details", details}};
}

}  // namespace kactor::http
