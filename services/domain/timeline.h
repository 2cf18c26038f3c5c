#pragma once
// An effective-dated value: each entry holds from its date until the next entry's date.

#include <iterator>
#include <map>
#include <utility>

#include "services/domain/dates.h"

namespace placement::domain {

template <class T> class EffectiveTimeline {
 public:
  // Sets the value from `from` until the next later entry (later entries are kept).
  void set(Date from, T value) { entries_.insert_or_assign(from, std::move(value)); }

  // The value in force on `date`, or nullptr before the first entry.
  const T* at(Date date) const {
    auto it = entries_.upper_bound(date);
    if (it == entries_.begin()) return nullptr;
    return &std::prev(it)->second;
  }

  // The date the value in force on `date` stops being in force (the next entry's date), or Date::max().
  Date next_change_after(Date date) const {
    auto it = entries_.upper_bound(date);
    return it == entries_.end() ? Date::max() : it->first;
  }

  const std::map<Date, T>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

  friend bool operator==(const EffectiveTimeline&, const EffectiveTimeline&) = default;

 private:
  std::map<Date, T> entries_;
};

}  // namespace placement::domain
