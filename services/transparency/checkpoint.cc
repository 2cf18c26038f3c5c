#include "services/transparency/checkpoint.h"

#include <charconv>
#include <set>

namespace placement::transparency {
namespace {

std::string u64_be(std::uint64_t value) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, value >>= 8) out[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
  return out;
}

std::uint64_t read_u64_be(std::string_view bytes) {
  std::uint64_t value = 0;
  for (unsigned char c : bytes.substr(0, 8)) value = (value << 8) | c;
  return value;
}

bool matches(const NoteSignature& signature, const VerifierKey& key) {
  return signature.key_name == key.name && signature.key_id == note_key_id(key);
}

}  // namespace

std::string checkpoint_body(const Checkpoint& checkpoint) {
  return checkpoint.origin + "\n" + std::to_string(checkpoint.tree_size) + "\n" + base64_encode(checkpoint.root_hash) +
         "\n";
}

Result<Checkpoint> parse_checkpoint_body(std::string_view body) {
  std::vector<std::string_view> lines;
  while (!body.empty()) {
    const auto end = body.find('\n');
    if (end == std::string_view::npos)
      return fail(Errc::invalid_argument, "a checkpoint's last line lacks its newline");
    lines.push_back(body.substr(0, end));
    body.remove_prefix(end + 1);
  }
  if (lines.size() < 3) return fail(Errc::invalid_argument, "a checkpoint has an origin, a size and a root hash line");
  Checkpoint checkpoint;
  checkpoint.origin = std::string(lines[0]);
  if (checkpoint.origin.empty()) return fail(Errc::invalid_argument, "a checkpoint's origin is empty");
  const std::string_view size = lines[1];
  const auto [end, error] = std::from_chars(size.data(), size.data() + size.size(), checkpoint.tree_size);
  if (size.empty() || error != std::errc() || end != size.data() + size.size() || (size.size() > 1 && size[0] == '0'))
    return fail(Errc::invalid_argument, "a checkpoint's size is not a decimal number");
  PLACEMENT_TRY(root, base64_decode(lines[2]));
  if (root.size() != 32) return fail(Errc::invalid_argument, "a checkpoint's root hash is not 32 bytes");
  checkpoint.root_hash = std::move(root);
  return checkpoint;
}

std::string sign_checkpoint(const Checkpoint& checkpoint, const NoteSigner& log) {
  SignedNote note;
  note.text = checkpoint_body(checkpoint);
  note.signatures.push_back(
      NoteSignature{log.name, note_key_id(log.verifier_key(kEd25519NoteType)), log.key.sign(note.text)});
  return format_note(note);
}

std::string cosigned_message(std::string_view body, std::uint64_t timestamp) {
  return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" + std::string(body);
}

NoteSignature cosign(std::string_view body, const NoteSigner& witness, std::uint64_t timestamp) {
  return NoteSignature{witness.name, note_key_id(witness.verifier_key(kCosignatureV1Type)),
                       u64_be(timestamp) + witness.key.sign(cosigned_message(body, timestamp))};
}

std::optional<std::uint64_t> verify_cosignature(std::string_view body, const NoteSignature& signature,
                                                const VerifierKey& witness) {
  if (witness.type != kCosignatureV1Type || !matches(signature, witness)) return std::nullopt;
  if (signature.signature.size() != 8 + kEd25519SignatureSize) return std::nullopt;
  const std::uint64_t timestamp = read_u64_be(signature.signature);
  if (timestamp > (std::uint64_t{1} << 63) - 1) return std::nullopt;
  if (!ed25519_verify(witness.public_key, cosigned_message(body, timestamp), signature.signature.substr(8)))
    return std::nullopt;
  return timestamp;
}

Result<VerifiedCheckpoint> verify_checkpoint(std::string_view text, const CheckpointTrust& trust) {
  PLACEMENT_TRY(note, parse_note(text));
  PLACEMENT_TRY(checkpoint, parse_checkpoint_body(note.text));
  bool log_signed = false;
  std::set<std::string> witnesses;
  for (const NoteSignature& signature : note.signatures) {
    if (matches(signature, trust.log) && ed25519_verify(trust.log.public_key, note.text, signature.signature))
      log_signed = true;
    for (const VerifierKey& witness : trust.witnesses)
      if (verify_cosignature(note.text, signature, witness)) witnesses.insert(witness.name);
  }
  if (!log_signed)
    return fail(Errc::failed_precondition, "the checkpoint is not signed by the log key " + trust.log.name);
  if (witnesses.size() < trust.witnesses_required)
    return fail(Errc::failed_precondition, "the checkpoint is cosigned by " + std::to_string(witnesses.size()) +
                                               " of the witnesses, " + std::to_string(trust.witnesses_required) +
                                               " are required");
  return VerifiedCheckpoint{std::move(checkpoint), std::move(note.text), {witnesses.begin(), witnesses.end()}};
}

}  // namespace placement::transparency
