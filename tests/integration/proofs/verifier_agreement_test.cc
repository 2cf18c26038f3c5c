// The offline verifier (tools/verify_proofs.py) and the C++ checks placectl runs
// (storage/merkle_proof.h, services/transparency/checkpoint.h) give the same verdict on every
// case, the failing ones included. The proofs are the server's own: a random log in a real
// RocksDbEventLog, its inclusion proof of every position in every tree size and its consistency
// proof between every two sizes, as ProofService serves them; then each altered the ways a
// dishonest or broken log would (an altered or dropped event, a rewritten history, a proof
// shortened, lengthened or altered, another tree's root), and signed checkpoints with the log's
// key or another, cosigned by k of n witnesses or fewer. Every valid case must verify on both
// sides and every altered one be refused by both.

#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "services/transparency/checkpoint.h"
#include "storage/merkle_hash.h"
#include "storage/merkle_proof.h"
#include "storage/merkle_tree.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/program_runner.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

namespace tp = transparency;
using storage::SubtreeId;

constexpr std::uint64_t kEvents = 70;

std::string b64(std::string_view bytes) { return tp::base64_encode(bytes); }

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string json_hashes(const std::vector<std::string>& hashes) {
  std::string out = "[";
  for (std::size_t i = 0; i < hashes.size(); ++i) out += (i ? ",\"" : "\"") + b64(hashes[i]) + "\"";
  return out + "]";
}

// Every complete subtree of a list of leaves, as the log's store keeps them: a history other than
// the log's (rewritten, or with an event dropped), made with the log's own frontier and proofs.
class OtherHistory {
 public:
  explicit OtherHistory(const std::vector<std::string>& leaves) {
    for (const auto& leaf : leaves)
      frontier_.add(storage::merkle_leaf_hash(leaf), [&](const SubtreeId& id, const std::string& hash) {
        nodes_[{id.level, id.index}] = hash;
      });
  }
  std::string root(std::uint64_t size) const { return storage::range_hash(lookup(storage::subtrees_of({0, size}))); }
  std::vector<std::string> consistency(std::uint64_t m, std::uint64_t n) const {
    return storage::hashes_of(
               storage::consistency_ranges(m, n).value(),
               [this](const std::vector<SubtreeId>& ids) { return Result<std::vector<std::string>>(lookup(ids)); })
        .value();
  }

 private:
  std::vector<std::string> lookup(const std::vector<SubtreeId>& ids) const {
    std::vector<std::string> out;
    for (const auto& id : ids) out.push_back(nodes_.at({id.level, id.index}));
    return out;
  }
  storage::MerkleFrontier frontier_;
  std::map<std::pair<int, std::uint64_t>, std::string> nodes_;
};

struct Case {
  std::string json;
  bool cpp_ok = false;
  std::string what;
};

class VerifierAgreementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = storage::RocksDbEventLog::open((dir_.path() / "log").string());
    ASSERT_TRUE(opened) << opened.error().message;
    log_ = std::move(opened).value();
    std::mt19937_64 rng(21);
    int command = 0;
    while (log_->head().position.value < kEvents) {
      std::vector<storage::AppendRequest> batch;
      for (int i = 0; i < 1 + static_cast<int>(rng() % 4); ++i, ++command) {
        storage::AppendRequest request;
        request.command_id = "c" + std::to_string(command);
        request.actor.set_subject("tester");
        request.actor.set_role(v1::ROLE_ADMIN);
        request.recorded_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000 + command));
        storage::StreamAppend stream{"s-" + std::to_string(rng() % 5), storage::ExpectedVersion::any(), {}};
        for (int e = 0; e < 1 + static_cast<int>(rng() % 3); ++e) {
          std::string payload(rng() % 300, '\0');
          for (auto& c : payload) c = static_cast<char>(rng());
          stream.events.push_back(storage::NewEvent{"TestEvent", std::move(payload)});
        }
        request.streams.push_back(std::move(stream));
        batch.push_back(std::move(request));
      }
      for (const auto& result : log_->append(std::move(batch)).results) ASSERT_TRUE(result) << result.error().message;
    }
    const auto events = log_->read_forward(Position{1}, 1'000'000);
    ASSERT_TRUE(events) << events.error().message;
    for (const auto& event : events.value()) leaves_.push_back(event.envelope_bytes);
    for (std::uint64_t size = 0; size <= leaves_.size(); ++size) roots_.push_back(tree().root(size).value());
  }
  const storage::MerkleTree& tree() const { return log_->merkle(); }

  void inclusion(std::uint64_t index, std::uint64_t size, const std::string& leaf, const std::vector<std::string>& path,
                 const std::string& root, const std::string& what) {
    Case c;
    c.json = "{\"kind\":\"inclusion\",\"index\":" + std::to_string(index) + ",\"size\":" + std::to_string(size) +
             ",\"leaf\":\"" + b64(leaf) + "\",\"path\":" + json_hashes(path) + ",\"root\":\"" + b64(root) + "\"}";
    c.cpp_ok = storage::inclusion_problem(index, size, storage::merkle_leaf_hash(leaf), path, root).empty();
    c.what = what + " (index " + std::to_string(index) + ", size " + std::to_string(size) + ")";
    cases_.push_back(std::move(c));
  }
  void consistency(std::uint64_t m, std::uint64_t n, const std::string& old_root, const std::string& new_root,
                   const std::vector<std::string>& proof, const std::string& what) {
    Case c;
    c.json = "{\"kind\":\"consistency\",\"old_size\":" + std::to_string(m) + ",\"new_size\":" + std::to_string(n) +
             ",\"old_root\":\"" + b64(old_root) + "\",\"new_root\":\"" + b64(new_root) +
             "\",\"proof\":" + json_hashes(proof) + "}";
    c.cpp_ok = storage::consistency_problem(m, n, old_root, new_root, proof).empty();
    c.what = what + " (" + std::to_string(m) + " → " + std::to_string(n) + ")";
    cases_.push_back(std::move(c));
  }
  void signed_checkpoint(const std::string& note, const tp::CheckpointTrust& trust, const std::string& what) {
    Case c;
    std::string witnesses = "[";
    for (std::size_t i = 0; i < trust.witnesses.size(); ++i)
      witnesses += (i ? "," : "") + json_string(tp::format_verifier_key(trust.witnesses[i]));
    c.json = "{\"kind\":\"checkpoint\",\"note\":" + json_string(note) +
             ",\"log_key\":" + json_string(tp::format_verifier_key(trust.log)) + ",\"witness_keys\":" + witnesses +
             "],\"required\":" + std::to_string(trust.witnesses_required) + "}";
    c.cpp_ok = static_cast<bool>(tp::verify_checkpoint(note, trust));
    c.what = what;
    cases_.push_back(std::move(c));
  }

  // Runs the Python verifier over every case; expects both sides to agree, and each case's
  // verdict to be `expected_ok` as the case's name says (valid: true).
  void expect_agreement(std::size_t expected_valid, std::size_t expected_refused) {
    const auto file = dir_.path() / "cases.jsonl";
    {
      std::ofstream out(file, std::ios::binary);
      for (const auto& c : cases_) out << c.json << "\n";
    }
    const auto result =
        testing::run_program("/usr/bin/python3", {VERIFY_PROOFS_CASES_PATH, VERIFY_PROOFS_PATH, file.string()});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    std::istringstream verdicts(result.out);
    std::string line;
    std::size_t index = 0, valid = 0, refused = 0, disagreements = 0;
    while (std::getline(verdicts, line)) {
      ASSERT_LT(index, cases_.size()) << "more verdicts than cases";
      const Case& c = cases_[index++];
      const bool python_ok = line == "ok";
      if (python_ok != c.cpp_ok && ++disagreements <= 20)
        ADD_FAILURE() << c.what << ": C++ says " << (c.cpp_ok ? "ok" : "refused") << ", Python says " << line;
      (c.cpp_ok ? valid : refused) += 1;
    }
    EXPECT_EQ(index, cases_.size()) << "fewer verdicts than cases";
    EXPECT_EQ(disagreements, 0u);
    EXPECT_EQ(valid, expected_valid) << "valid cases that did not verify, or altered ones that did";
    EXPECT_EQ(refused, expected_refused);
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::RocksDbEventLog> log_;
  std::vector<std::string> leaves_;
  std::vector<std::string> roots_;  // roots_[size]
  std::vector<Case> cases_;
};

std::string flipped(std::string bytes) {
  if (bytes.empty()) return std::string(1, '\x01');
  bytes.back() = static_cast<char>(bytes.back() ^ 0x01);
  return bytes;
}

TEST_F(VerifierAgreementTest, InclusionProofsOfEveryPositionInEverySizeAndTheirAlterations) {
  std::size_t valid = 0, refused = 0;
  const std::uint64_t n = leaves_.size();
  for (std::uint64_t size = 1; size <= n; ++size) {
    for (std::uint64_t index = 0; index < size; ++index) {
      const auto path = tree().inclusion_proof(index, size).value();
      const std::string& root = roots_[size];
      inclusion(index, size, leaves_[index], path, root, "the log's proof");
      ++valid;
      inclusion(index, size, flipped(leaves_[index]), path, root, "an altered event");
      // The log with this event dropped: the next event stands at its position.
      inclusion(index, size, leaves_[index + 1 < n ? index + 1 : index - 1], path, root, "a dropped event");
      inclusion(index, size, leaves_[index], path, roots_[size - 1], "the root of another tree size");
      std::vector<std::string> longer = path;
      longer.push_back(roots_[1]);
      inclusion(index, size, leaves_[index], longer, root, "a hash added to the path");
      refused += 4;
      if (size > 1) {
        inclusion((index + 1) % size, size, leaves_[index], path, root, "another position");
        std::vector<std::string> altered = path, shorter = path;
        altered[index % altered.size()] = flipped(altered[index % altered.size()]);
        shorter.pop_back();
        inclusion(index, size, leaves_[index], altered, root, "an altered hash in the path");
        inclusion(index, size, leaves_[index], shorter, root, "a hash dropped from the path");
        refused += 3;
      }
    }
  }
  expect_agreement(valid, refused);
}

TEST_F(VerifierAgreementTest, ConsistencyProofsBetweenEverySizesAndRewrittenHistories) {
  const std::uint64_t n = leaves_.size();
  std::mt19937_64 rng(6962);
  std::size_t valid = 0, refused = 0;
  for (std::uint64_t m = 1; m <= n; ++m) {
    // Histories that agree with the log only after an event before m: one altered, one dropped.
    std::vector<std::string> rewritten = leaves_, dropped = leaves_;
    const std::uint64_t victim = rng() % m;
    rewritten[victim] = flipped(rewritten[victim]);
    dropped.erase(dropped.begin() + static_cast<std::ptrdiff_t>(victim));
    const OtherHistory rewritten_tree(rewritten), dropped_tree(dropped);
    for (std::uint64_t to = m; to <= n; ++to) {
      const auto proof = tree().consistency_proof(m, to).value();
      consistency(m, to, roots_[m], roots_[to], proof, "the log's proof");
      ++valid;
      consistency(m, to, roots_[m], rewritten_tree.root(to), rewritten_tree.consistency(m, to),
                  "a history rewritten at " + std::to_string(victim));
      ++refused;
      if (to - 1 >= m) {
        consistency(m, to - 1, roots_[m], dropped_tree.root(to - 1), dropped_tree.consistency(m, to - 1),
                    "a history with event " + std::to_string(victim) + " dropped");
        consistency(m, to, roots_[to], roots_[m], proof, "the two roots swapped");
        std::vector<std::string> longer = proof;
        longer.push_back(roots_[1]);
        consistency(m, to, roots_[m], roots_[to], longer, "a hash added to the proof");
        refused += 3;
      }
      if (!proof.empty()) {
        std::vector<std::string> altered = proof, shorter = proof;
        altered[to % altered.size()] = flipped(altered[to % altered.size()]);
        shorter.pop_back();
        consistency(m, to, roots_[m], roots_[to], altered, "an altered hash in the proof");
        consistency(m, to, roots_[m], roots_[to], shorter, "a hash dropped from the proof");
        refused += 2;
      }
    }
  }
  expect_agreement(valid, refused);
}

TEST_F(VerifierAgreementTest, SignedCheckpointsWithTheLogsKeyAndKOfNWitnesses) {
  const tp::NoteSigner log{"ledger.test/agreement", tp::Ed25519Key::generate().value()};
  const tp::NoteSigner impostor{"ledger.test/agreement", tp::Ed25519Key::generate().value()};
  std::vector<tp::NoteSigner> witnesses;
  for (const char* name : {"witness.test/a", "witness.test/b", "witness.test/c"})
    witnesses.push_back({name, tp::Ed25519Key::generate().value()});
  const tp::NoteSigner stranger{"witness.test/stranger", tp::Ed25519Key::generate().value()};
  // A stranger under a configured witness's name: its key does not match the configured one.
  const tp::NoteSigner name_thief{"witness.test/a", tp::Ed25519Key::generate().value()};
  const tp::Checkpoint checkpoint{"ledger.test/agreement", leaves_.size(), roots_.back()};
  const std::string body = tp::checkpoint_body(checkpoint);
  const std::string note = tp::sign_checkpoint(checkpoint, log);

  const auto with = [&](std::vector<tp::NoteSignature> extra) {
    auto parsed = tp::parse_note(note).value();
    for (auto& line : extra) parsed.signatures.push_back(std::move(line));
    return tp::format_note(parsed);
  };
  const auto trust = [&](const tp::NoteSigner& log_key, std::size_t required) {
    tp::CheckpointTrust t{log_key.verifier_key(tp::kEd25519NoteType), {}, required};
    for (const auto& w : witnesses) t.witnesses.push_back(w.verifier_key(tp::kCosignatureV1Type));
    return t;
  };
  const auto cosig = [&](const tp::NoteSigner& w) { return tp::cosign(body, w, 1'900'000'000); };

  std::size_t valid = 0, refused = 0;
  const auto expect = [&](const std::string& text, const tp::CheckpointTrust& t, bool ok, const std::string& what) {
    signed_checkpoint(text, t, what);
    (ok ? valid : refused) += 1;
  };
  // k of n: cosigned by 0..3 distinct witnesses, each k from 0 to 3.
  std::vector<tp::NoteSignature> lines;
  for (std::size_t signers = 0; signers <= witnesses.size(); ++signers) {
    if (signers > 0) lines.push_back(cosig(witnesses[signers - 1]));
    for (std::size_t k = 0; k <= witnesses.size(); ++k)
      expect(with(lines), trust(log, k), signers >= k,
             std::to_string(signers) + " cosignatures, " + std::to_string(k) + " required");
  }
  // What must not count as a witness.
  expect(with({cosig(witnesses[0]), cosig(witnesses[0])}), trust(log, 2), false, "one witness twice");
  expect(with({cosig(stranger), cosig(witnesses[1])}), trust(log, 2), false, "a witness not configured");
  expect(with({cosig(name_thief), cosig(witnesses[1])}), trust(log, 2), false, "a configured name, another key");
  expect(with({tp::cosign(tp::checkpoint_body({checkpoint.origin, 1, roots_[1]}), witnesses[0], 1'900'000'000),
               cosig(witnesses[1])}),
         trust(log, 2), false, "a cosignature of another checkpoint");
  auto late = cosig(witnesses[0]);
  late.signature[7] = static_cast<char>(late.signature[7] ^ 0x01);  // the timestamp it signed, altered
  expect(with({late, cosig(witnesses[1])}), trust(log, 2), false, "a cosignature's timestamp altered");
  expect(with({cosig(witnesses[0]), cosig(witnesses[1])}), trust(log, 2), true, "two distinct witnesses");
  // The log's own signature.
  expect(note, trust(impostor, 0), false, "another log key under the log's name");
  auto forged = tp::parse_note(note).value();
  forged.text = tp::checkpoint_body({checkpoint.origin, checkpoint.tree_size + 1, checkpoint.root_hash});
  expect(tp::format_note(forged), trust(log, 0), false, "the size altered under the log's signature");
  forged.text = tp::checkpoint_body({checkpoint.origin, checkpoint.tree_size, roots_[1]});
  expect(tp::format_note(forged), trust(log, 0), false, "the root altered under the log's signature");
  auto unsigned_note = tp::parse_note(note).value();
  unsigned_note.signatures = {cosig(witnesses[0])};
  expect(tp::format_note(unsigned_note), trust(log, 1), false, "cosigned but not signed by the log");
  auto bad_signature = tp::parse_note(note).value();
  bad_signature.signatures[0].signature[0] = static_cast<char>(bad_signature.signatures[0].signature[0] ^ 0x01);
  expect(tp::format_note(bad_signature), trust(log, 0), false, "the log's signature altered");
  expect(tp::sign_checkpoint(checkpoint, impostor), trust(log, 0), false, "signed by another key of the log's name");
  expect_agreement(valid, refused);
}

}  // namespace
}  // namespace placement
