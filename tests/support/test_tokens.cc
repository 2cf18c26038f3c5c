#include "tests/support/test_tokens.h"

#include <jwt.h>
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>

#include "services/auth/token_issuer.h"
#include "services/auth/token_secrets.h"

namespace placement::testing {

const std::string& test_token_secret_line() {
  static const std::string line = [] {
    auto generated = auth::TokenSecrets::generate_line();
    if (!generated) std::abort();
    return generated.value();
  }();
  return line;
}

void write_token_secret_file(const std::filesystem::path& path, const std::string& lines) {
  {
    std::ofstream out(path, std::ios::trunc);
    out << lines << '\n';
  }
  ::chmod(path.c_str(), S_IRUSR | S_IWUSR);
}

std::string token_with(const auth::Claims& claims, const std::string& secret_lines) {
  auto secrets = auth::TokenSecrets::parse(secret_lines, "test secret");
  if (!secrets) {
    std::cerr << "token_with: " << secrets.error().message << '\n';
    std::abort();
  }
  auto token = auth::issue_token(claims, secrets.value().signing());
  if (!token) {
    std::cerr << "token_with(" << claims.subject << "): " << token.error().message << '\n';
    std::abort();
  }
  return token.value();
}

std::string token_for(const std::string& role, std::uint32_t scope, const std::string& subject,
                      std::chrono::seconds lifetime) {
  static const std::string secret =
      auth::TokenSecrets::parse(test_token_secret_line(), "test secret").value().signing();
  const long now = static_cast<long>(std::time(nullptr));
  jwt_t* jwt = nullptr;
  int failed = jwt_new(&jwt);
  failed |= jwt_add_grant(jwt, "sub", subject.c_str());
  failed |= jwt_add_grant(jwt, "role", role.c_str());
  failed |= jwt_add_grant(jwt, "aud", "placementd");
  failed |= jwt_add_grant_int(jwt, "iat", now);
  failed |= jwt_add_grant_int(jwt, "exp", now + static_cast<long>(lifetime.count()));
  if (scope != 0)
    failed |= jwt_add_grant_int(jwt, role == "operator" ? "operator" : "municipality", static_cast<long>(scope));
  failed |= jwt_set_alg(jwt, JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret.data()),
                        static_cast<int>(secret.size()));
  char* encoded = failed == 0 ? jwt_encode_str(jwt) : nullptr;
  jwt_free(jwt);
  if (encoded == nullptr) {
    std::cerr << "token_for(" << role << ", " << scope << ", " << subject << "): libjwt failed\n";
    std::abort();
  }
  std::string token(encoded);
  free(encoded);  // NOLINT: libjwt allocates with malloc
  return token;
}

}  // namespace placement::testing
