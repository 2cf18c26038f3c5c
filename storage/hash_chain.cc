#include "storage/hash_chain.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <memory>

#include <spdlog/spdlog.h>

namespace placement::storage {

const std::string& genesis_hash() {
  static const std::string zeros(kHashSize, '\0');
  return zeros;
}

std::string chain_hash(std::string_view prev_hash, std::string_view envelope_bytes) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::string digest(kHashSize, '\0');
  unsigned int length = 0;
  const bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx.get(), prev_hash.data(), prev_hash.size()) == 1 &&
                  EVP_DigestUpdate(ctx.get(), envelope_bytes.data(), envelope_bytes.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(digest.data()), &length) == 1;
  if (!ok || length != kHashSize) {
    // Without a working SHA-256 nothing we write can be verified: stop rather than write.
    spdlog::critical("SHA-256 failed in OpenSSL; refusing to continue");
    std::abort();
  }
  return digest;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

}  // namespace placement::storage
