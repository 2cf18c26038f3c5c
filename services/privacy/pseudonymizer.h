#pragma once
// Turns a CPR number (or a household reference) into a keyed pseudonym: HMAC-SHA-256 under a
// secret from the server's configuration, hex encoded. The same number gives the same pseudonym
// under the same key; without the key the pseudonym cannot be linked back to the number.

#include <filesystem>
#include <string>
#include <string_view>

#include "services/base/result.h"

namespace placement::privacy {

class Pseudonymizer {
 public:
  // Reads the key from a file (at least 32 bytes), refused unless it is a regular file of this
  // user that neither group nor others may read or write. With create_if_missing, a missing file
  // is created with 32 random bytes (files::create_secret_file: 0600, never through a link).
  static Result<Pseudonymizer> from_key_file(const std::filesystem::path& path, bool create_if_missing);
  explicit Pseudonymizer(std::string key) : key_(std::move(key)) {}

  std::string citizen(std::string_view cpr_digits) const;
  std::string household(std::string_view reference) const;

 private:
  std::string hmac(std::string_view domain_separator, std::string_view value) const;
  std::string key_;
};

}  // namespace placement::privacy
