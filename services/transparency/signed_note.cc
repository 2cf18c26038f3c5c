#include "services/transparency/signed_note.h"

#include <openssl/evp.h>

#include <cctype>
#include <memory>

namespace placement::transparency {
namespace {

constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";  // em dash (U+2014), space

std::string sha256(std::string_view bytes) {
  std::string digest(32, '\0');
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), reinterpret_cast<unsigned char*>(digest.data()), &length, EVP_sha256(),
             nullptr);
  return digest;
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

bool has_control_characters(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 && c != '\n') return true;
  return false;
}

Result<NoteSignature> parse_signature_line(std::string_view line) {
  if (line.substr(0, kSignaturePrefix.size()) != kSignaturePrefix)
    return fail(Errc::invalid_argument, "a signature line must start with an em dash and a space");
  line.remove_prefix(kSignaturePrefix.size());
  const auto space = line.find(' ');
  if (space == std::string_view::npos)
    return fail(Errc::invalid_argument, "a signature line needs a key name and a signature");
  NoteSignature signature;
  signature.key_name = std::string(line.substr(0, space));
  if (!valid_key_name(signature.key_name))
    return fail(Errc::invalid_argument, "a signature line's key name is not valid");
  PLACEMENT_TRY(bytes, base64_decode(line.substr(space + 1)));
  if (bytes.size() < 5) return fail(Errc::invalid_argument, "a signature is shorter than its key id");
  signature.key_id = bytes.substr(0, 4);
  signature.signature = bytes.substr(4);
  return signature;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(length));
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return fail(Errc::invalid_argument, "base64 text is not a multiple of 4 characters");
  for (char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '='))
      return fail(Errc::invalid_argument, "base64 text holds a character outside the alphabet");
  std::string out(3 * (text.size() / 4) + 1, '\0');
  const int length =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                      static_cast<int>(text.size()));
  if (length < 0) return fail(Errc::invalid_argument, "base64 text does not decode");
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  out.resize(static_cast<std::size_t>(length) - padding);
  if (base64_encode(out) != text) return fail(Errc::invalid_argument, "base64 text is not in its canonical form");
  return out;
}

std::string note_key_id(const VerifierKey& key) {
  std::string input = key.name;
  input.push_back('\n');
  input.push_back(static_cast<char>(key.type));
  input += key.public_key;
  return sha256(input).substr(0, 4);
}

std::string format_verifier_key(const VerifierKey& key) {
  return key.name + "+" + hex(note_key_id(key)) + "+" +
         base64_encode(std::string(1, static_cast<char>(key.type)) + key.public_key);
}

Result<VerifierKey> parse_verifier_key(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  const auto first = text.find('+');
  const auto second = first == std::string_view::npos ? first : text.find('+', first + 1);
  if (second == std::string_view::npos)
    return fail(Errc::invalid_argument, "a verifier key is <name>+<key id>+<base64 key>");
  VerifierKey key;
  key.name = std::string(text.substr(0, first));
  if (!valid_key_name(key.name)) return fail(Errc::invalid_argument, "a verifier key's name is not valid");
  PLACEMENT_TRY(material, base64_decode(text.substr(second + 1)));
  if (material.size() != 33) return fail(Errc::invalid_argument, "a verifier key holds a type byte and a 32-byte key");
  key.type = static_cast<std::uint8_t>(material[0]);
  key.public_key = material.substr(1);
  if (key.type != kEd25519NoteType && key.type != kCosignatureV1Type)
    return fail(Errc::invalid_argument, "a verifier key's type is neither Ed25519 (1) nor cosignature/v1 (4)");
  if (hex(note_key_id(key)) != text.substr(first + 1, second - first - 1))
    return fail(Errc::invalid_argument, "a verifier key's key id does not match its name and key");
  return key;
}

bool valid_key_name(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (c <= 0x20 || c == '+') return false;
  return true;
}

std::string format_signature_line(const NoteSignature& signature) {
  return std::string(kSignaturePrefix) + signature.key_name + " " +
         base64_encode(signature.key_id + signature.signature) + "\n";
}

std::string format_note(const SignedNote& note) {
  std::string out = note.text + "\n";
  for (const auto& signature : note.signatures) out += format_signature_line(signature);
  return out;
}

Result<SignedNote> parse_note(std::string_view note) {
  if (has_control_characters(note)) return fail(Errc::invalid_argument, "a signed note holds a control character");
  if (note.empty() || note.back() != '\n') return fail(Errc::invalid_argument, "a signed note ends in a newline");
  // The signatures start after the last blank line.
  const auto split = note.rfind("\n\n");
  if (split == std::string_view::npos)
    return fail(Errc::invalid_argument, "a signed note has no blank line before its signatures");
  SignedNote parsed;
  parsed.text = std::string(note.substr(0, split + 1));
  std::string_view rest = note.substr(split + 2);
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    PLACEMENT_TRY(signature, parse_signature_line(rest.substr(0, end)));
    parsed.signatures.push_back(std::move(signature));
    rest.remove_prefix(end + 1);
  }
  if (parsed.signatures.empty()) return fail(Errc::invalid_argument, "a signed note has no signature");
  return parsed;
}

}  // namespace placement::transparency
