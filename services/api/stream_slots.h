#pragma once
// Counts the AuditService streams open at once, server-wide, per role and per caller, so neither
// one greedy client nor a handful of subjects of one role can hold every stream (and the log
// reads behind them): a role holds at most its share of the server's streams, a caller (role,
// scope and subject together) at most its own few. A slot is held for the life of a stream and
// given back when it is destroyed. Thread-safe.

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
    std::map<std::string, std::size_t> per_role;
    std::map<std::string, std::size_t> per_caller;
  };

 public:
  StreamSlots(std::size_t max_total, std::size_t max_per_role, std::size_t max_per_caller)
      : counts_(std::make_shared<Counts>()),
        max_total_(max_total),
        max_per_role_(max_per_role),
        max_per_caller_(max_per_caller) {}

  // Gives the slot back on destruction (the counts live as long as any slot does).
  class Slot {
   public:
    Slot(std::shared_ptr<Counts> counts, std::string role, std::string caller)
        : counts_(std::move(counts)), role_(std::move(role)), caller_(std::move(caller)) {}
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() {
      std::lock_guard lock(counts_->mutex);
      --counts_->total;
      if (--counts_->per_role[role_] == 0) counts_->per_role.erase(role_);
      if (--counts_->per_caller[caller_] == 0) counts_->per_caller.erase(caller_);
    }

   private:
    std::shared_ptr<Counts> counts_;
    std::string role_;
    std::string caller_;
  };

  struct Acquired {
    std::unique_ptr<Slot> slot;  // null when refused
    std::string refusal;         // why, for RESOURCE_EXHAUSTED
  };

  // Refused when the server, the role or this caller already has its maximum open. `caller`
  // names one caller within the role (its scope and subject).
  Acquired acquire(const std::string& role, const std::string& caller) {
    const std::string key = role + "/" + caller;
    std::lock_guard lock(counts_->mutex);
    if (counts_->total >= max_total_)
      return {nullptr,
              "the server has its maximum of " + std::to_string(max_total_) + " audit streams open; try again later"};
    if (auto found = counts_->per_role.find(role); found != counts_->per_role.end() && found->second >= max_per_role_)
      return {nullptr, "the " + role + "s have their share of " + std::to_string(max_per_role_) +
                           " audit streams open; try again later"};
    if (auto found = counts_->per_caller.find(key);
        found != counts_->per_caller.end() && found->second >= max_per_caller_)
      return {nullptr, "you already have " + std::to_string(max_per_caller_) +
                           " audit streams open, the most one caller may; close one first"};
    ++counts_->per_role[role];
    ++counts_->per_caller[key];
    ++counts_->total;
    return {std::make_unique<Slot>(counts_, role, key), {}};
  }

 private:
  std::shared_ptr<Counts> counts_;
  std::size_t max_total_;
  std::size_t max_per_role_;
  std::size_t max_per_caller_;
};

}  // namespace placement::api
