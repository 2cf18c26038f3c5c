#include "services/auth/provider_keys.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

namespace placement::auth {
namespace {

namespace pt = boost::property_tree;

struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct BldFree {
  void operator()(OSSL_PARAM_BLD* bld) const { OSSL_PARAM_BLD_free(bld); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* params) const { OSSL_PARAM_free(params); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

constexpr int kMinRsaBits = 2048;

Result<std::string> pem_of(const Pkey& key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.get()) != 1)
    return fail(Errc::internal, "cannot write the key as PEM");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// A public key from OpenSSL parameters of `type` ("RSA" or "EC").
Result<Pkey> from_params(const char* type, OSSL_PARAM_BLD* bld) {
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    return fail(Errc::invalid_argument, "not a valid " + std::string(type) + " public key");
  return Pkey(raw);
}

Result<std::string> field(const pt::ptree& jwk, const char* name) {
  auto value = jwk.get_optional<std::string>(name);
  if (!value || value->empty()) return fail(Errc::invalid_argument, std::string("has no ") + name);
  return *value;
}

Result<std::string> decoded_field(const pt::ptree& jwk, const char* name) {
  PLACEMENT_TRY(text, field(jwk, name));
  auto bytes = base64url_decode(text);
  if (!bytes || bytes->empty()) return fail(Errc::invalid_argument, std::string(name) + " is not base64url");
  return std::move(*bytes);
}

Bn big_number(const std::string& bytes) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
}

Result<std::string> rsa_pem(const pt::ptree& jwk) {
  PLACEMENT_TRY(n_bytes, decoded_field(jwk, "n"));
  PLACEMENT_TRY(e_bytes, decoded_field(jwk, "e"));
  Bn n = big_number(n_bytes), e = big_number(e_bytes);
  if (!n || !e) return fail(Errc::internal, "out of memory");
  if (BN_num_bits(n.get()) < kMinRsaBits)
    return fail(Errc::invalid_argument, "an RSA key of " + std::to_string(BN_num_bits(n.get())) +
                                            " bits is too short (at least " + std::to_string(kMinRsaBits) + ")");
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
    return fail(Errc::internal, "cannot build the RSA key");
  PLACEMENT_TRY(key, from_params("RSA", bld.get()));
  return pem_of(key);
}

Result<std::string> ec_pem(const pt::ptree& jwk) {
  PLACEMENT_TRY(curve, field(jwk, "crv"));
  if (curve != "P-256") return fail(Errc::invalid_argument, "crv " + curve + " is not P-256 (ES256)");
  PLACEMENT_TRY(x, decoded_field(jwk, "x"));
  PLACEMENT_TRY(y, decoded_field(jwk, "y"));
  if (x.size() != 32 || y.size() != 32) return fail(Errc::invalid_argument, "x and y must be 32 bytes each");
  // The uncompressed point: 0x04 || x || y. OpenSSL checks that it is on the curve.
  const std::string point = std::string(1, '\x04') + x + y;
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1)
    return fail(Errc::internal, "cannot build the EC key");
  PLACEMENT_TRY(key, from_params("EC", bld.get()));
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1)
    return fail(Errc::invalid_argument, "the point is not on P-256");
  return pem_of(key);
}

// One JWK as a key, or why it is skipped.
Result<ProviderKey> key_of(const pt::ptree& jwk) {
  PLACEMENT_TRY(type, field(jwk, "kty"));
  const auto use = jwk.get_optional<std::string>("use");
  if (use && *use != "sig") return fail(Errc::invalid_argument, "use " + *use + " is not sig");
  const std::string alg = jwk.get<std::string>("alg", "");
  ProviderKey key;
  key.kid = jwk.get<std::string>("kid", "");
  if (type == "RSA") {
    if (!alg.empty() && alg != "RS256") return fail(Errc::invalid_argument, "alg " + alg + " is not RS256");
    key.algorithm = "RS256";
    PLACEMENT_TRY(pem, rsa_pem(jwk));
    key.pem = std::move(pem);
  } else if (type == "EC") {
    if (!alg.empty() && alg != "ES256") return fail(Errc::invalid_argument, "alg " + alg + " is not ES256");
    key.algorithm = "ES256";
    PLACEMENT_TRY(pem, ec_pem(jwk));
    key.pem = std::move(pem);
  } else {
    return fail(Errc::invalid_argument, "kty " + type + " is not a public key of RS256 or ES256");
  }
  return key;
}

}  // namespace

std::optional<std::string> base64url_decode(std::string_view text) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = value_of(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

Result<ProviderKeys> ProviderKeys::parse(std::string_view json) {
  pt::ptree set;
  try {
    std::istringstream in{std::string(json)};
    pt::read_json(in, set);
  } catch (const pt::json_parser_error& error) {
    return fail(Errc::invalid_argument, "the key set is not JSON (line " + std::to_string(error.line()) + ")");
  }
  const auto listed = set.get_child_optional("keys");
  if (!listed) return fail(Errc::invalid_argument, "the key set has no \"keys\" array");
  ProviderKeys keys;
  int number = 0;
  for (const auto& [name, jwk] : *listed) {
    ++number;
    auto key = key_of(jwk);
    if (!key) {
      const std::string kid = jwk.get<std::string>("kid", "");
      keys.skipped_.push_back("key " + std::to_string(number) + (kid.empty() ? "" : " (kid " + kid + ")") + ": " +
                              key.error().message);
      continue;
    }
    keys.keys_.push_back(std::move(key).value());
  }
  if (keys.keys_.empty())
    return fail(Errc::invalid_argument, "the key set has no usable RS256 or ES256 key" +
                                            (keys.skipped_.empty() ? std::string() : ": " + keys.skipped_.front()));
  return keys;
}

Result<ProviderKeys> ProviderKeys::from_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::invalid_argument, "cannot read the key set " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  auto keys = parse(text.str());
  if (!keys) return fail(keys.error().code, path.string() + ": " + keys.error().message);
  return keys;
}

std::vector<const ProviderKey*> ProviderKeys::candidates(std::string_view algorithm, std::string_view kid) const {
  std::vector<const ProviderKey*> out;
  for (const auto& key : keys_) {
    if (key.algorithm != algorithm) continue;
    if (!kid.empty() && key.kid != kid) continue;
    out.push_back(&key);
  }
  return out;
}

}  // namespace placement::auth
