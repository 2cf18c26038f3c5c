#include "services/privacy/pseudonymizer.h"

#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "services/files/secret_file.h"
#include "storage/hash_chain.h"

namespace placement::privacy {

Result<Pseudonymizer> Pseudonymizer::from_key_file(const std::filesystem::path& path, bool create_if_missing) {
  constexpr std::string_view what = "pseudonym key file";
  auto present = files::check_secret_file(path, what);
  if (!present && present.error().code == Errc::not_found) {
    if (!create_if_missing) return outcome::failure(present.error());
    std::string key(32, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1)
      return fail(Errc::internal, "cannot draw random bytes for the pseudonym key");
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    PLACEMENT_TRY(files::create_secret_file(path, key, what));
  }
  PLACEMENT_TRY(key, files::read_secret_file(path, what));
  if (key.size() < 32)
    return fail(Errc::invalid_argument, "pseudonym key file " + path.string() + " must hold at least 32 bytes");
  return Pseudonymizer(std::move(key));
}

std::string Pseudonymizer::hmac(std::string_view domain_separator, std::string_view value) const {
  // The separator keeps a household reference from ever colliding with a citizen's pseudonym.
  std::string message(domain_separator);
  message.push_back('\0');
  message.append(value);
  unsigned char digest[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest, &length);
  return storage::to_hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string Pseudonymizer::citizen(std::string_view cpr_digits) const { return hmac("citizen", cpr_digits); }

std::string Pseudonymizer::household(std::string_view reference) const { return hmac("household", reference); }

}  // namespace placement::privacy
