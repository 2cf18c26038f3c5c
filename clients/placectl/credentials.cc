#include "clients/placectl/credentials.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "services/auth/token_issuer.h"
#include "services/auth/token_secrets.h"

namespace placement::placectl {
namespace {

std::string read_pem(const std::string& path, const std::string& option) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("--" + option + ": cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::uint32_t municipality_code(const std::string& text) {
  char* end = nullptr;
  const unsigned long code = std::strtoul(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || code == 0 || code > 999)
    throw UsageError("--municipality takes a municipality code, 1..999");
  return static_cast<std::uint32_t>(code);
}

std::uint32_t operator_code_of(const std::string& text) {
  char* end = nullptr;
  const unsigned long code = std::strtoul(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || code == 0 || (code > 999 && (code < 1081 || code > 1085)))
    throw UsageError("--operator takes an operator code: a region 1081..1085 or a municipality 1..999");
  return static_cast<std::uint32_t>(code);
}

}  // namespace

std::shared_ptr<grpc::ChannelCredentials> channel_credentials(const Globals& globals) {
  if (!globals.tls_ca && !globals.tls_cert && !globals.tls_key) return grpc::InsecureChannelCredentials();
  if (globals.tls_cert.has_value() != globals.tls_key.has_value())
    throw UsageError("--tls-cert and --tls-key go together (a client certificate for mutual TLS)");
  grpc::SslCredentialsOptions options;
  // Without --tls-ca the system's trusted CAs verify the server.
  if (globals.tls_ca) options.pem_root_certs = read_pem(*globals.tls_ca, "tls-ca");
  if (globals.tls_cert) {
    options.pem_cert_chain = read_pem(*globals.tls_cert, "tls-cert");
    options.pem_private_key = read_pem(*globals.tls_key, "tls-key");
  }
  return grpc::SslCredentials(options);
}

std::string mint_token(const std::string& secret_file, const std::string& role, const std::string& subject,
                       std::uint32_t municipality, std::chrono::seconds lifetime, std::uint32_t operator_code) {
  auto secrets = auth::TokenSecrets::from_file(secret_file, /*create_if_missing=*/false);
  if (!secrets)
    throw UsageError(secrets.error().message +
                     " (minting a token needs the server's token secret file: --secret-file FILE, or --token TOKEN)");
  auto parsed_role = auth::parse_role(role);
  if (!parsed_role)
    throw UsageError("the role must be operator, caseworker, finance, planner, auditor or admin, not '" + role + "'");
  auth::Claims claims;
  claims.subject = subject;
  claims.role = *parsed_role;
  claims.municipality = municipality;
  claims.operator_code = operator_code;
  // Whole seconds: the token's iat and exp are seconds, and exp − iat must stay within the limit.
  claims.issued_at = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  claims.expires_at = claims.issued_at + lifetime;
  auto token = auth::issue_token(claims, secrets.value().signing());
  if (!token) throw UsageError(token.error().message);
  return token.value();
}

std::string bearer_token(const Globals& globals) {
  if (globals.token) {
    if (!globals.role.empty())
      throw UsageError("give --token (PLACEMENT_TOKEN) or --as (PLACEMENT_ROLE), not both: the token says who you are");
    return *globals.token;
  }
  if (globals.role.empty())
    throw UsageError(
        "say who you are: --token TOKEN (or PLACEMENT_TOKEN), or on the server's machine --as "
        "operator|caseworker|finance|planner|auditor|admin with its --secret-file");
  // Each role names the scope it has, and no other (the server refuses a token that does not fit).
  const auto role = auth::parse_role(globals.role);
  std::uint32_t municipality = 0, operator_code = 0;
  if (role && auth::names_municipality(*role)) {
    if (!globals.municipality) throw UsageError("a " + globals.role + " names their municipality: --municipality CODE");
    municipality = municipality_code(*globals.municipality);
  }
  if (role && auth::names_operator(*role)) {
    if (!globals.operator_code) throw UsageError("an operator names its operator code: --operator CODE");
    operator_code = operator_code_of(*globals.operator_code);
  }
  return mint_token(globals.secret_file, globals.role, globals.subject, municipality, kAsTokenLifetime, operator_code);
}

}  // namespace placement::placectl
