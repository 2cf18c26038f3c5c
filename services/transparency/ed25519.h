#pragma once
// Ed25519 (RFC 8032) through OpenSSL's EVP_PKEY_ED25519: a signing key kept in a file of its own,
// signing, and verifying with a public key alone.

#include <memory>
#include <string>
#include <string_view>

#include "services/base/result.h"

namespace placement::transparency {

inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

class Ed25519Key {
 public:
  // A new random key.
  static Result<Ed25519Key> generate();
  // From a 32-byte private key (seed).
  static Result<Ed25519Key> from_seed(std::string_view seed);

  // The signing key file: base64 of the 32-byte seed and a newline, mode 0600. Created when
  // missing (files::create_secret_file: an unpredictable temporary name opened with
  // O_CREAT | O_EXCL | O_NOFOLLOW, synced, renamed without replacing, so a link or a concurrent
  // creator is never written through). An existing file is refused when it is a symbolic link, not a regular
  // file, readable or writable by group or others, or not a key.
  static Result<Ed25519Key> load_or_create(const std::string& path);

  std::string public_key() const;  // 32 bytes
  std::string sign(std::string_view message) const;

 private:
  struct Free {
    void operator()(void* key) const;
  };
  explicit Ed25519Key(std::shared_ptr<void> pkey) : pkey_(std::move(pkey)) {}
  std::shared_ptr<void> pkey_;  // EVP_PKEY*, shared: signing does not change it
};

// Does signature (64 bytes) verify over message under the 32-byte public key?
bool ed25519_verify(std::string_view public_key, std::string_view message, std::string_view signature);

}  // namespace placement::transparency
