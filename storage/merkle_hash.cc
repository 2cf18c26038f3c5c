#include "storage/merkle_hash.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <memory>

#include <spdlog/spdlog.h>

namespace placement::storage {
namespace {

// SHA-256 fetched from OpenSSL's provider once, and one digest context per thread, reset for each
// hash: OpenSSL 3 otherwise looks the algorithm up and allocates a context on every call, which
// costs more than hashing a node's 65 bytes.
[[noreturn]] void sha256_failed() {
  // Without a working SHA-256 no proof can be made or checked: stop rather than serve one.
  spdlog::critical("SHA-256 failed in OpenSSL; refusing to continue");
  std::abort();
}

const EVP_MD* sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) sha256_failed();
  return md;
}

EVP_MD_CTX* thread_context() {
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx) sha256_failed();
  return ctx.get();
}

std::string sha256_of(std::initializer_list<std::string_view> parts) {
  EVP_MD_CTX* ctx = thread_context();
  std::string digest(kMerkleHashSize, '\0');
  unsigned int length = 0;
  bool ok = EVP_DigestInit_ex2(ctx, sha256(), nullptr) == 1;
  for (std::string_view part : parts) ok = ok && EVP_DigestUpdate(ctx, part.data(), part.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(ctx, reinterpret_cast<unsigned char*>(digest.data()), &length) == 1;
  if (!ok || length != kMerkleHashSize) sha256_failed();
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
