#include "services/auth/token_secrets.h"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <fstream>
#include <optional>
#include <sstream>

namespace placement::auth {
namespace {

constexpr std::size_t kMinSecretBytes = 32;

std::optional<std::string> from_hex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string bytes;
  bytes.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = nibble(text[i]), low = nibble(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

std::string_view trimmed(std::string_view line) {
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

}  // namespace

Result<std::string> TokenSecrets::generate_line() {
  unsigned char bytes[kMinSecretBytes];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return fail(Errc::internal, "cannot draw random bytes for a token secret");
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string line;
  for (unsigned char b : bytes) {
    line.push_back(kDigits[b >> 4]);
    line.push_back(kDigits[b & 0xf]);
  }
  return line;
}

Result<TokenSecrets> TokenSecrets::parse(std::string_view text, const std::string& origin) {
  std::vector<std::string> secrets;
  int number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = trimmed(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++number;
    if (line.empty() || line.front() == '#') continue;
    // The line itself is never quoted back: it is a secret.
    auto secret = from_hex(line);
    if (!secret)
      return fail(Errc::invalid_argument,
                  "token secret file " + origin + ", line " + std::to_string(number) + ": not a hex string");
    if (secret->size() < kMinSecretBytes)
      return fail(Errc::invalid_argument, "token secret file " + origin + ", line " + std::to_string(number) +
                                              ": a secret must be at least 32 bytes (64 hex digits)");
    secrets.push_back(std::move(*secret));
  }
  if (secrets.empty()) return fail(Errc::invalid_argument, "token secret file " + origin + " holds no secret");
  return TokenSecrets(std::move(secrets));
}

Result<TokenSecrets> TokenSecrets::from_file(const std::filesystem::path& path, bool create_if_missing) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (!create_if_missing) return fail(Errc::not_found, "token secret file " + path.string() + " does not exist");
    PLACEMENT_TRY(line, generate_line());
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    const auto temporary = path.string() + ".tmp";
    {
      // Created owner-only before the secret is written, so it is never readable by others.
      std::ofstream create(temporary, std::ios::trunc);
      ::chmod(temporary.c_str(), S_IRUSR | S_IWUSR);
      if (!create || !(create << line << '\n') || !create.flush())
        return fail(Errc::unavailable, "cannot write token secret file " + path.string());
    }
    std::filesystem::rename(temporary, path, ec);
    if (ec) return fail(Errc::unavailable, "cannot write token secret file " + path.string() + ": " + ec.message());
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    return fail(Errc::unavailable, "cannot read token secret file " + path.string());
  if ((info.st_mode & (S_IROTH | S_IWOTH)) != 0)
    return fail(Errc::failed_precondition,
                "token secret file " + path.string() + " is readable or writable by others; chmod 600 it");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::unavailable, "cannot read token secret file " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.string());
}

}  // namespace placement::auth
