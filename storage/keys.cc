#include "storage/keys.h"

namespace placement::storage {

std::string encode_u64(std::uint64_t value) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xffu);
    value >>= 8;
  }
  return out;
}

std::optional<std::uint64_t> decode_u64(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  std::uint64_t value = 0;
  for (unsigned char c : bytes) value = (value << 8) | c;
  return value;
}

std::string stream_prefix(std::string_view stream_id) {
  std::string key(stream_id);
  key.push_back('\0');
  return key;
}

std::string stream_key(std::string_view stream_id, std::uint64_t version) {
  return stream_prefix(stream_id) + encode_u64(version);
}

std::string merkle_node_key(std::uint8_t level, std::uint64_t index) {
  std::string key = encode_u64(((index + 1) << level) - 1);
  key.push_back(static_cast<char>(level));
  return key;
}

std::optional<std::uint64_t> merkle_key_last_leaf(std::string_view key) {
  if (key.size() != 9) return std::nullopt;
  return decode_u64(key.substr(0, 8));
}

}  // namespace placement::storage
