#pragma once
// C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint) notes of the log's Merkle tree, signed by the
// log (signed-note Ed25519) and cosigned by witnesses (c2sp.org/tlog-cosignature, cosignature/v1),
// and their verification: the log's signature and k of n witnesses.
//
// Body:   <origin>\n<tree size, decimal>\n<base64 root hash>\n
// Log:    — <log key name> base64(key id || Ed25519(body))
// Witness:— <witness name> base64(key id || u64 BE timestamp || Ed25519("cosignature/v1\ntime <t>\n" || body))

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/base/result.h"
#include "services/transparency/ed25519.h"
#include "services/transparency/signed_note.h"

namespace placement::transparency {

struct Checkpoint {
  std::string origin;
  std::uint64_t tree_size = 0;
  std::string root_hash;  // 32 bytes
};

std::string checkpoint_body(const Checkpoint& checkpoint);
// invalid_argument unless the text is origin, decimal size (no leading zeros) and a base64
// 32-byte hash, each on its own line, optionally followed by extension lines.
Result<Checkpoint> parse_checkpoint_body(std::string_view body);

// A signer: a key name (the log's usually its origin) and its key.
struct NoteSigner {
  std::string name;
  Ed25519Key key;
  VerifierKey verifier_key(std::uint8_t type) const { return VerifierKey{name, type, key.public_key()}; }
};

// The checkpoint as a note signed by the log.
std::string sign_checkpoint(const Checkpoint& checkpoint, const NoteSigner& log);

// The cosignature/v1 signature line a witness adds to a checkpoint body at POSIX time timestamp.
NoteSignature cosign(std::string_view body, const NoteSigner& witness, std::uint64_t timestamp);
// The message a cosignature/v1 signs.
std::string cosigned_message(std::string_view body, std::uint64_t timestamp);
// Does the signature line verify as a cosignature/v1 of body by witness? Its timestamp when it
// does.
std::optional<std::uint64_t> verify_cosignature(std::string_view body, const NoteSignature& signature,
                                                const VerifierKey& witness);

struct CheckpointTrust {
  VerifierKey log;                     // type kEd25519NoteType
  std::vector<VerifierKey> witnesses;  // type kCosignatureV1Type
  std::size_t witnesses_required = 0;  // k of witnesses.size()
};

struct VerifiedCheckpoint {
  Checkpoint checkpoint;
  std::string body;
  std::vector<std::string> witnesses;  // names of the witnesses whose cosignature verified
};

// Verifies a signed checkpoint note: the log's signature, and at least witnesses_required
// distinct witnesses' cosignatures. Lines of unknown keys are ignored (signed-note). Why not,
// as failed_precondition (signatures) or invalid_argument (format).
Result<VerifiedCheckpoint> verify_checkpoint(std::string_view note, const CheckpointTrust& trust);

}  // namespace placement::transparency
