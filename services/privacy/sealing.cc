#include "services/privacy/sealing.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <memory>

namespace placement::privacy::sealing {
namespace {

constexpr char kVersion = 0x01;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }
unsigned char* bytes(std::string& text) { return reinterpret_cast<unsigned char*>(text.data()); }

Status check_sizes(std::string_view key, std::string_view associated_data, std::string_view text) {
  if (key.size() != kKeyBytes) return fail(Errc::invalid_argument, "a sealing key must be 32 bytes");
  if (associated_data.size() > INT_MAX / 2 || text.size() > INT_MAX / 2)
    return fail(Errc::invalid_argument, "the value to seal or open is too large");
  return ok();
}

}  // namespace

Result<std::string> random_bytes(std::size_t count) {
  std::string out(count, '\0');
  if (count > INT_MAX || RAND_bytes(bytes(out), static_cast<int>(count)) != 1)
    return fail(Errc::internal, "cannot draw random bytes");
  return out;
}

Result<std::string> seal(std::string_view key, std::string_view associated_data, std::string_view plaintext) {
  PLACEMENT_TRY(check_sizes(key, associated_data, plaintext));
  PLACEMENT_TRY(nonce, random_bytes(kNonceBytes));
  CipherContext context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string out;
  out.reserve(1 + kNonceBytes + plaintext.size() + kTagBytes);
  out.push_back(kVersion);
  out.append(nonce);
  out.resize(1 + kNonceBytes + plaintext.size() + kTagBytes);
  unsigned char* ciphertext = bytes(out) + 1 + kNonceBytes;
  int length = 0;
  int final_length = 0;
  const bool sealed =
      context && EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1 &&
      EVP_EncryptInit_ex(context.get(), nullptr, nullptr, bytes(key), bytes(nonce)) == 1 &&
      EVP_EncryptUpdate(context.get(), nullptr, &length, bytes(associated_data),
                        static_cast<int>(associated_data.size())) == 1 &&
      EVP_EncryptUpdate(context.get(), ciphertext, &length, bytes(plaintext), static_cast<int>(plaintext.size())) ==
          1 &&
      EVP_EncryptFinal_ex(context.get(), ciphertext + length, &final_length) == 1 &&
      static_cast<std::size_t>(length + final_length) == plaintext.size() &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, ciphertext + plaintext.size()) == 1;
  if (!sealed) return fail(Errc::internal, "AES-256-GCM encryption failed");
  return out;
}

Result<std::string> open(std::string_view key, std::string_view associated_data, std::string_view sealed) {
  PLACEMENT_TRY(check_sizes(key, associated_data, sealed));
  if (sealed.size() < 1 + kNonceBytes + kTagBytes || sealed.front() != kVersion)
    return fail(Errc::data_loss, "not a sealed value of a known format");
  const std::string_view nonce = sealed.substr(1, kNonceBytes);
  const std::string_view ciphertext = sealed.substr(1 + kNonceBytes, sealed.size() - 1 - kNonceBytes - kTagBytes);
  std::string tag(sealed.substr(sealed.size() - kTagBytes));
  CipherContext context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string plaintext(ciphertext.size(), '\0');
  int length = 0;
  int final_length = 0;
  const bool ready = context && EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
                     EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) == 1 &&
                     EVP_DecryptInit_ex(context.get(), nullptr, nullptr, bytes(key), bytes(nonce)) == 1 &&
                     EVP_DecryptUpdate(context.get(), nullptr, &length, bytes(associated_data),
                                       static_cast<int>(associated_data.size())) == 1 &&
                     EVP_DecryptUpdate(context.get(), bytes(plaintext), &length, bytes(ciphertext),
                                       static_cast<int>(ciphertext.size())) == 1 &&
                     EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1;
  if (!ready) return fail(Errc::internal, "AES-256-GCM decryption could not start");
  // The tag is checked here: a wrong key, associated data or any altered byte ends in a refusal.
  if (EVP_DecryptFinal_ex(context.get(), bytes(plaintext) + length, &final_length) != 1)
    return fail(Errc::data_loss, "the sealed value does not open: wrong key, or altered");
  plaintext.resize(static_cast<std::size_t>(length + final_length));
  return plaintext;
}

}  // namespace placement::privacy::sealing
