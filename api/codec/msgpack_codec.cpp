#include "api/codec/msgpack_codec.hpp"

namespace kactor::api::msgpack_codec {

void pack_object(Packer& p, const Object* obj) {
  if (!obj) {
    p.pack_nil();
    return;
  }
  const TypeInfo& t = obj->type();
  std::string bytes;
  t.to_msgpack(*obj, bytes);
  p.pack_array(3);
  pack_string(p, t.api_version());
  pack_string(p, t.kind);
  p.pack_bin(static_cast<uint32_t>(bytes.size()));
  p.pack_bin_body(bytes.data(), static_cast<uint32_t>(bytes.size()));
}

bool unpack_object(const msgpack::object& o, ObjectPtr& out, std::string& error) {
  using msgpack::type::object_type;
  if (o.type == object_type::NIL) {
    out.reset();
    return true;
  }
  if (o.type != object_type::ARRAY || o.via.array.size != 3 ||
      o.via.array.ptr[0].type != object_type::STR || o.via.array.ptr[1].type != object_type::STR ||
      o.via.array.ptr[2].type != object_type::BIN) {
    error = "malformed object envelope";
    return false;
  }
  const auto& a = o.via.array.ptr;
  std::string_view api_version(a[0].via.str.ptr, a[0].via.str.size);
  std::string_view kind(a[1].via.str.ptr, a[1].via.str.size);
  const TypeInfo* t = Registry::builtin().by_request_kind(api_version, kind);
  if (!t) {
    error = "unknown kind " + std::string(kind);
    return false;
  }
  auto decoded = t->from_msgpack(std::string_view(a[2].via.bin.ptr, a[2].via.bin.size));
  if (!decoded) {
    error = decoded.error().message;
    return false;
  }
  out = ObjectPtr(std::move(*decoded));
  return true;
}

}  // namespace kactor::api::msgpack_codec
