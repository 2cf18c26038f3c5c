#include "services/transparency/checkpointer.h"

#include <spdlog/spdlog.h>

namespace placement::transparency {

Checkpointer::Checkpointer(const storage::EventLog& log, const storage::MerkleTree& tree,
                           storage::CheckpointStore& store, NoteSigner signer, CheckpointerOptions options)
    : log_(log), tree_(tree), store_(store), signer_(std::move(signer)), options_(std::move(options)) {}

Checkpointer::~Checkpointer() { stop(); }

void Checkpointer::start() {
  if (options_.interval.count() <= 0 || thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

void Checkpointer::stop() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::run() {
  std::unique_lock lock(wake_mutex_);
  while (!wake_.wait_for(lock, options_.interval, [this] { return stopping_; })) {
    lock.unlock();
    if (log_.head().position.value > 0) {
      auto made = checkpoint_now();
      if (!made && made.error().code == Errc::data_loss) return;  // refused for good: the log is broken
      if (!made) spdlog::error("checkpoint: {}", made.error().message);
    }
    lock.lock();
  }
}

void Checkpointer::refuse_signing(Error why) {
  std::lock_guard lock(mutex_);
  refused_ = std::move(why);
}

Result<storage::StoredCheckpoint> Checkpointer::checkpoint_now() {
  std::lock_guard lock(mutex_);
  if (refused_) return outcome::failure(*refused_);
  const std::uint64_t size = log_.head().position.value;
  if (size == 0) return fail(Errc::failed_precondition, "the log is empty: there is nothing to checkpoint");
  PLACEMENT_TRY(stored, store_.checkpoint_at(size));
  if (stored) return std::move(*stored);
  PLACEMENT_TRY(root, tree_.root(size));
  std::string note = sign_checkpoint(Checkpoint{options_.origin, size, std::move(root)}, signer_);
  PLACEMENT_TRY(store_.put_checkpoint(size, note));
  spdlog::info("checkpoint of tree size {} signed and stored", size);
  return storage::StoredCheckpoint{size, std::move(note)};
}

Result<storage::StoredCheckpoint> Checkpointer::add_cosignature(std::uint64_t tree_size,
                                                                std::string_view signature_line) {
  // One line, as it appears in a note: "— <name> <base64>", with or without its newline.
  std::string line(signature_line);
  if (line.empty() || line.back() != '\n') line.push_back('\n');
  auto parsed_line = parse_note("x\n\n" + line);
  if (!parsed_line || parsed_line.value().signatures.size() != 1)
    return fail(Errc::invalid_argument, "a cosignature is one signature line: \"— <witness name> <base64>\"");
  const NoteSignature cosignature = parsed_line.value().signatures[0];

  std::lock_guard lock(mutex_);
  PLACEMENT_TRY(stored, store_.checkpoint_at(tree_size));
  if (!stored) return fail(Errc::not_found, "no checkpoint of tree size " + std::to_string(tree_size) + " is stored");
  PLACEMENT_TRY(note, parse_note(stored->note));
  const VerifierKey* witness = nullptr;
  for (const VerifierKey& key : options_.witnesses)
    if (key.name == cosignature.key_name && note_key_id(key) == cosignature.key_id) witness = &key;
  if (!witness)
    return fail(Errc::permission_denied,
                "\"" + cosignature.key_name + "\" with that key id is not a configured witness");
  if (!verify_cosignature(note.text, cosignature, *witness))
    return fail(Errc::permission_denied, "the cosignature of " + cosignature.key_name +
                                             " does not verify over the checkpoint of tree size " +
                                             std::to_string(tree_size));
  std::erase_if(note.signatures, [&](const NoteSignature& existing) {
    return existing.key_name == cosignature.key_name && existing.key_id == cosignature.key_id;
  });
  note.signatures.push_back(cosignature);
  std::string updated = format_note(note);
  PLACEMENT_TRY(store_.put_checkpoint(tree_size, updated));
  spdlog::info("cosignature of {} added to the checkpoint of tree size {}", cosignature.key_name, tree_size);
  return storage::StoredCheckpoint{tree_size, std::move(updated)};
}

}  // namespace placement::transparency
