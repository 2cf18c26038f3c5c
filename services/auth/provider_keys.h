#pragma once
// The public keys of an identity provider, from a JSON Web Key Set file (RFC 7517): what verifies
// the RS256 and ES256 tokens a municipality's provider issues. Each JWK becomes an OpenSSL public
// key, kept as PEM for libjwt. Read from the file only (never fetched over the network).
//
// Accepted: `kty` RSA (n, e; at least 2048 bits) for RS256 and `kty` EC on P-256 (x, y) for ES256,
// with `alg` absent or matching and `use` absent or "sig". Any other key (symmetric `oct` keys
// above all, which would turn a public key set into a shared secret) is skipped and reported. A
// set without one usable key is refused.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/base/result.h"

namespace placement::auth {

struct ProviderKey {
  std::string kid;        // the JWK's key id; may be empty
  std::string algorithm;  // "RS256" or "ES256"
  std::string pem;        // the public key, SubjectPublicKeyInfo PEM
};

class ProviderKeys {
 public:
  // invalid_argument when the JSON is not a key set or no key is usable.
  static Result<ProviderKeys> parse(std::string_view json);
  static Result<ProviderKeys> from_file(const std::filesystem::path& path);

  const std::vector<ProviderKey>& keys() const { return keys_; }
  // Why each skipped key was skipped ("key 2 (kid x): kty oct is not a public key"), for the log.
  const std::vector<std::string>& skipped() const { return skipped_; }

  // The keys that may verify a token whose header names `algorithm` and `kid`: the key with that
  // kid (if it is of that algorithm), or every key of the algorithm when the header names none.
  std::vector<const ProviderKey*> candidates(std::string_view algorithm, std::string_view kid) const;

 private:
  std::vector<ProviderKey> keys_;
  std::vector<std::string> skipped_;
};

// base64url without padding (RFC 7515 §2) to bytes; nullopt when the text is not base64url.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace placement::auth
