#include "clients/placectl/chain.h"

#include "clients/placectl/encoding.h"

namespace placement::placectl {

ChainChecker::ChainChecker(std::uint64_t first, std::string prev_hash) : next_(first), prev_(std::move(prev_hash)) {}

std::optional<ChainBreak> ChainChecker::broken(std::uint64_t position, std::string problem) {
  break_ = ChainBreak{position, std::move(problem)};
  return break_;
}

ChainBreak ChainChecker::fail_next(std::string problem) {
  if (!break_) break_ = ChainBreak{next_, std::move(problem)};
  return *break_;
}

std::optional<ChainBreak> ChainChecker::check(const v1::StoredEvent& event) {
  if (break_) return break_;
  // Parse the bytes the hash covers, not the envelope the server parsed for us.
  v1::EventEnvelope envelope;
  if (!envelope.ParseFromString(event.envelope_bytes())) return broken(next_, "envelope bytes do not parse");
  if (envelope.position() != next_)
    return broken(next_, "event missing: the next event names position " + std::to_string(envelope.position()));
  if (event.hash().size() != 32) return broken(next_, "stored hash is not 32 bytes");
  if (sha256(prev_, event.envelope_bytes()) != event.hash())
    return broken(next_, "hash does not match the envelope bytes (the event was altered)");
  if (envelope.prev_hash() != prev_) return broken(next_, "prev_hash does not link to the previous event's hash");
  prev_ = event.hash();
  ++next_;
  ++checked_;
  return std::nullopt;
}

std::optional<ChainBreak> ChainChecker::finish(std::uint64_t last, const std::string& expected_head_hash) {
  if (break_) return break_;
  if (next_ <= last) return broken(next_, "event missing: the stream ended before position " + std::to_string(last));
  if (!expected_head_hash.empty() && expected_head_hash != prev_)
    return broken(last, "head hash differs from the last event's hash");
  return std::nullopt;
}

}  // namespace placement::placectl
