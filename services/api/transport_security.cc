#include "services/api/transport_security.h"

#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

namespace placement::api {
namespace {

Result<std::string> read_pem(const std::filesystem::path& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::unavailable, std::string("cannot read the ") + what + " " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  // Only the path is ever quoted: the key file's contents are secret.
  if (text.str().find("-----BEGIN") == std::string::npos)
    return fail(Errc::invalid_argument, std::string("the ") + what + " " + path.string() + " is not PEM");
  return text.str();
}

}  // namespace

Result<std::shared_ptr<grpc::ServerCredentials>> server_credentials(const TlsFiles& tls, const std::string& listen,
                                                                    bool loopback) {
  if (!tls.cert) {
    spdlog::warn("gRPC on {} without TLS: {}", listen, loopback ? "loopback only" : "--insecure was given");
    return grpc::InsecureServerCredentials();
  }
  PLACEMENT_TRY(cert, read_pem(*tls.cert, "TLS certificate"));
  PLACEMENT_TRY(key, read_pem(*tls.key, "TLS key"));
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({std::move(key), std::move(cert)});
  if (tls.client_ca) {
    PLACEMENT_TRY(ca, read_pem(*tls.client_ca, "TLS client CA"));
    options.pem_root_certs = std::move(ca);
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  } else {
    options.client_certificate_request = GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE;
  }
  spdlog::info("gRPC on {} with TLS{}", listen, tls.client_ca ? ", client certificates required" : "");
  return grpc::SslServerCredentials(options);
}

}  // namespace placement::api
