#pragma once
// Counts the AuditService streams open at once, server-wide and per caller, so one greedy client
// cannot hold every stream (and the log reads behind them). A slot is held for the life of a
// stream and given back when it is destroyed. Thread-safe.

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace placement::api {

class StreamSlots {
  struct Counts {
    std::mutex mutex;
    std::size_t total = 0;
    std::map<std::string, std::size_t> per_caller;
  };

 public:
  StreamSlots(std::size_t max_total, std::size_t max_per_caller)
      : counts_(std::make_shared<Counts>()), max_total_(max_total), max_per_caller_(max_per_caller) {}

  // Gives the slot back on destruction (the counts live as long as any slot does).
  class Slot {
   public:
    Slot(std::shared_ptr<Counts> counts, std::string subject)
        : counts_(std::move(counts)), subject_(std::move(subject)) {}
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() {
      std::lock_guard lock(counts_->mutex);
      --counts_->total;
      if (--counts_->per_caller[subject_] == 0) counts_->per_caller.erase(subject_);
    }

   private:
    std::shared_ptr<Counts> counts_;
    std::string subject_;
  };

  struct Acquired {
    std::unique_ptr<Slot> slot;  // null when refused
    std::string refusal;         // why, for RESOURCE_EXHAUSTED
  };

  // Refused when the server or this caller already has its maximum open.
  Acquired acquire(const std::string& subject) {
    std::lock_guard lock(counts_->mutex);
    if (counts_->total >= max_total_)
      return {nullptr,
              "the server has its maximum of " + std::to_string(max_total_) + " audit streams open; try again later"};
    auto found = counts_->per_caller.find(subject);
    if (found != counts_->per_caller.end() && found->second >= max_per_caller_)
      return {nullptr, "you already have " + std::to_string(max_per_caller_) +
                           " audit streams open, the most one caller may; close one first"};
    ++counts_->per_caller[subject];
    ++counts_->total;
    return {std::make_unique<Slot>(counts_, subject), {}};
  }

 private:
  std::shared_ptr<Counts> counts_;
  std::size_t max_total_;
  std::size_t max_per_caller_;
};

}  // namespace placement::api
