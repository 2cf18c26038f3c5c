#pragma once
// The HMAC secrets that sign and verify bearer tokens, from one file.
//
// File format: one secret per line, hex encoded, at least 32 bytes (64 hex digits); blank lines
// and lines starting with '#' are ignored. The first secret signs new tokens; every secret
// verifies. Rotation: put a new secret on the first line, keep the old one below it until every
// token signed with it has expired, then remove it (docs/SECURITY.md).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "services/base/result.h"

namespace placement::auth {

class TokenSecrets {
 public:
  // Reads the file. With create_if_missing, a missing file is created (mode 0600) holding one new
  // random secret. A file that others may read or write is refused: anyone who reads it can mint
  // an admin token.
  static Result<TokenSecrets> from_file(const std::filesystem::path& path, bool create_if_missing);
  // Parses the file's text; `origin` names it in error messages.
  static Result<TokenSecrets> parse(std::string_view text, const std::string& origin);
  // One new random secret, as a line of the file (64 hex digits).
  static Result<std::string> generate_line();

  // The secret new tokens are signed with.
  const std::string& signing() const { return secrets_.front(); }
  // Every secret a token may be signed with, the signing one first.
  const std::vector<std::string>& all() const { return secrets_; }

 private:
  explicit TokenSecrets(std::vector<std::string> secrets) : secrets_(std::move(secrets)) {}
  std::vector<std::string> secrets_;  // raw bytes, never empty
};

}  // namespace placement::auth
