#include "services/transparency/ed25519.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <cerrno>

#include "services/files/secret_file.h"
#include "services/transparency/signed_note.h"

namespace placement::transparency {
namespace {

EVP_PKEY* as_pkey(const std::shared_ptr<void>& key) { return static_cast<EVP_PKEY*>(key.get()); }

constexpr std::string_view kWhat = "signing key file";

Error file_error(const std::string& path, const std::string& what) {
  return Error{Errc::failed_precondition, "signing key file " + path + ": " + what};
}

Result<std::string> read_key_file(const std::string& path) { return files::read_secret_file(path, kWhat); }

Status write_new_key_file(const std::string& path, const std::string& text) {
  return files::create_secret_file(path, text, kWhat);
}

}  // namespace

void Ed25519Key::Free::operator()(void* key) const { EVP_PKEY_free(static_cast<EVP_PKEY*>(key)); }

Result<Ed25519Key> Ed25519Key::from_seed(std::string_view seed) {
  if (seed.size() != 32) return fail(Errc::invalid_argument, "an Ed25519 private key is 32 bytes");
  EVP_PKEY* key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                               reinterpret_cast<const unsigned char*>(seed.data()), seed.size());
  if (!key) return fail(Errc::internal, "OpenSSL refused the Ed25519 key");
  return Ed25519Key(std::shared_ptr<void>(static_cast<void*>(key), Free()));
}

Result<Ed25519Key> Ed25519Key::generate() {
  std::string seed(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(seed.data()), 32) != 1)
    return fail(Errc::internal, "no random bytes for a new Ed25519 key");
  return from_seed(seed);
}

Result<Ed25519Key> Ed25519Key::load_or_create(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 && errno == ENOENT) {
    PLACEMENT_TRY(key, generate());
    std::string seed(32, '\0');
    std::size_t length = seed.size();
    if (EVP_PKEY_get_raw_private_key(as_pkey(key.pkey_), reinterpret_cast<unsigned char*>(seed.data()), &length) != 1)
      return fail(Errc::internal, "OpenSSL cannot export the new key");
    PLACEMENT_TRY(write_new_key_file(path, base64_encode(seed) + "\n"));
    return key;
  }
  PLACEMENT_TRY(text, read_key_file(path));
  std::string_view trimmed(text);
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r')) trimmed.remove_suffix(1);
  auto seed = base64_decode(trimmed);
  if (!seed || seed.value().size() != 32)
    return outcome::failure(file_error(path, "does not hold a base64 32-byte Ed25519 private key"));
  return from_seed(seed.value());
}

std::string Ed25519Key::public_key() const {
  std::string out(kEd25519PublicKeySize, '\0');
  std::size_t length = out.size();
  EVP_PKEY_get_raw_public_key(as_pkey(pkey_), reinterpret_cast<unsigned char*>(out.data()), &length);
  return out;
}

std::string Ed25519Key::sign(std::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::string signature(kEd25519SignatureSize, '\0');
  std::size_t length = signature.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, as_pkey(pkey_)) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      length != kEd25519SignatureSize) {
    std::abort();  // a key that signed once signs always; anything else is a broken OpenSSL
  }
  return signature;
}

bool ed25519_verify(std::string_view public_key, std::string_view message, std::string_view signature) {
  if (public_key.size() != kEd25519PublicKeySize || signature.size() != kEd25519SignatureSize) return false;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(public_key.data()),
                                  public_key.size()),
      &EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  return key && ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

}  // namespace placement::transparency
