#include "storage/merkle_hash.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <memory>

#include <spdlog/spdlog.h>

namespace placement::storage {
namespace {

std::string sha256_of(std::initializer_list<std::string_view> parts) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::string digest(kMerkleHashSize, '\0');
  unsigned int length = 0;
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1;
  for (std::string_view part : parts) ok = ok && EVP_DigestUpdate(ctx.get(), part.data(), part.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(digest.data()), &length) == 1;
  if (!ok || length != kMerkleHashSize) {
    // Without a working SHA-256 no proof can be made or checked: stop rather than serve one.
    spdlog::critical("SHA-256 failed in OpenSSL; refusing to continue");
    std::abort();
  }
  return digest;
}

constexpr std::string_view kLeafPrefix("\x00", 1);
constexpr std::string_view kNodePrefix("\x01", 1);

}  // namespace

std::string merkle_leaf_hash(std::string_view leaf_bytes) { return sha256_of({kLeafPrefix, leaf_bytes}); }

std::string merkle_node_hash(std::string_view left, std::string_view right) {
  return sha256_of({kNodePrefix, left, right});
}

const std::string& merkle_empty_root() {
  static const std::string root = sha256_of({});
  return root;
}

}  // namespace placement::storage
