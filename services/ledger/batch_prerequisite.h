#pragma once

#include <cstdint>

#include "services/base/result.h"

namespace placement::ledger {

// Something outside the log that a batch's events depend on (the citizen key store,
// services/privacy), made durable before the batch is. Called on the writer thread.
class BatchPrerequisite {
 public:
  virtual ~BatchPrerequisite() = default;
  // When the writer takes a batch, so it overlaps deciding it: starts making everything so far
  // durable and returns a mark covering it.
  virtual std::uint64_t start_sync() = 0;
  // Before the batch is written: until the mark is durable. A failure fails the batch, writing nothing.
  virtual Status wait_durable(std::uint64_t mark) = 0;
};

}  // namespace placement::ledger
