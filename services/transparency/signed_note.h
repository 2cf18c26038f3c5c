#pragma once
// C2SP signed-note (c2sp.org/signed-note): a text ending in a newline, a blank line, then one or
// more signature lines "— <key name> <base64(4-byte key id || signature)>". Also the verifier key
// encoding "<name>+<key id, 8 hex digits>+<base64(type byte || public key)>" (vkey) and the key id,
// SHA-256(name || 0x0A || type byte || public key)[:4]. Formatting and parsing only; signatures
// are made and checked by ed25519.h, checkpoint_signing.h and cosignature.h.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/base/result.h"

namespace placement::transparency {

inline constexpr std::uint8_t kEd25519NoteType = 0x01;    // signed-note Ed25519 signatures
inline constexpr std::uint8_t kCosignatureV1Type = 0x04;  // tlog-cosignature Ed25519 cosignatures

struct NoteSignature {
  std::string key_name;
  std::string key_id;     // 4 bytes
  std::string signature;  // the bytes after the key id
};

struct SignedNote {
  std::string text;  // includes its final newline, not the blank line
  std::vector<NoteSignature> signatures;
};

// A verifier key: who signs, with which algorithm, under which public key.
struct VerifierKey {
  std::string name;
  std::uint8_t type = kEd25519NoteType;
  std::string public_key;  // 32 bytes for Ed25519
};

std::string base64_encode(std::string_view bytes);
// invalid_argument when the text is not standard, padded base64.
Result<std::string> base64_decode(std::string_view text);

// SHA-256(name || "\n" || type || public key)[:4].
std::string note_key_id(const VerifierKey& key);

// "<name>+<key id hex>+<base64(type || public key)>", and back (checking the key id).
std::string format_verifier_key(const VerifierKey& key);
Result<VerifierKey> parse_verifier_key(std::string_view text);

// A key name: non-empty, no space, no '+', no control character.
bool valid_key_name(std::string_view name);

std::string format_signature_line(const NoteSignature& signature);
std::string format_note(const SignedNote& note);
// invalid_argument when the text is not a signed note (no blank line before the signatures, a
// malformed signature line, control characters).
Result<SignedNote> parse_note(std::string_view note);

}  // namespace placement::transparency
