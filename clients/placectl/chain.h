#pragma once
// The auditor's own check of the hash chain, over events as streamed by the server: it trusts
// nothing but the envelope bytes and the stored hashes, and recomputes
//   hash(n) = SHA-256(hash(n-1) || envelope_bytes(n)),  hash(0) = 32 zero bytes.

#include <cstdint>
#include <optional>
#include <string>

#include "placement/v1/envelope.pb.h"

namespace placement::placectl {

struct ChainBreak {
  std::uint64_t position = 0;
  std::string problem;
};

class ChainChecker {
 public:
  // Checks positions from `first` on; prev_hash is the hash of first-1 (32 zero bytes for 1).
  ChainChecker(std::uint64_t first, std::string prev_hash);

  // The next event in order; the first break stops the check (later calls return it again).
  std::optional<ChainBreak> check(const v1::StoredEvent& event);
  // After the last event: every position up to `last` was seen, and the last hash equals
  // expected_head_hash when one is given (non-empty).
  std::optional<ChainBreak> finish(std::uint64_t last, const std::string& expected_head_hash);
  // A break found outside the chain (the stream failed at the next position).
  ChainBreak fail_next(std::string problem);

  std::uint64_t checked() const { return checked_; }
  std::uint64_t next_position() const { return next_; }
  const std::string& head_hash() const { return prev_; }

 private:
  std::optional<ChainBreak> broken(std::uint64_t position, std::string problem);

  std::uint64_t next_;
  std::string prev_;
  std::uint64_t checked_ = 0;
  std::optional<ChainBreak> break_;
};

}  // namespace placement::placectl
