#pragma once
// Grouping of offers for the capacity and occupancy views: by any combination of offer, operator,
// region (the operator's region), target group and level.
//
// An offer serving several target groups is counted in full under each group it serves when
// grouping by target group: its places are not divisible among groups (a place is taken by a
// citizen of one group or another as requests come), so any split would invent fractional places.
// Rows grouped by target group therefore do not add up to the total; every view reports its
// total separately, counting each offer once.

#include <boost/container/small_vector.hpp>
#include <boost/container_hash/hash.hpp>

#include <algorithm>
#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "services/domain/vocabulary.h"
#include "services/projections/planning_index.h"

namespace placement::projections {

struct GroupBy {
  bool offer = false;
  bool operator_code = false;
  bool region = false;
  bool target_group = false;
  bool level = false;
};

// The fields grouped by are set; the others keep their "not grouped" value (empty, 0, {}).
struct GroupKey {
  std::string offer_id;
  std::int32_t operator_code = 0;
  std::int32_t region_code = 0;
  domain::TargetGroup target_group{};   // {} (0) = not grouped
  domain::SpecialisationLevel level{};  // {} (0) = not grouped
  friend auto operator<=>(const GroupKey&, const GroupKey&) = default;
};

struct GroupKeyHash {
  std::size_t operator()(const GroupKey& key) const noexcept {
    std::size_t seed = std::hash<std::string>{}(key.offer_id);
    boost::hash_combine(seed, key.operator_code);
    boost::hash_combine(seed, key.region_code);
    boost::hash_combine(seed, static_cast<int>(key.target_group));
    boost::hash_combine(seed, static_cast<int>(key.level));
    return seed;
  }
};

// A view's rows while its offers are added, then in key order. Hashed: a national view finds a
// row once or more for each of 5 000 offers, and a walk down a tree of rows, comparing whole keys
// at every level, was a third of a capacity view's time.
template <class Row> class RowsByKey {
 public:
  Row& operator[](const GroupKey& key) { return rows_[key]; }

  // Every row with its key set, ordered by key.
  std::vector<Row> sorted() && {
    std::vector<Row> rows;
    rows.reserve(rows_.size());
    for (auto& [key, row] : rows_) {
      row.key = key;
      rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.key < b.key; });
    return rows;
  }

 private:
  std::unordered_map<GroupKey, Row, GroupKeyHash> rows_;
};

// The keys an offer counts under while `organisation` is in force (its operator and region then):
// one, or one per target group it serves when grouping by group. Inline for the usual few: a view
// asks this once per offer, 5 000 times a call nationally.
using GroupKeys = boost::container::small_vector<GroupKey, 3>;
GroupKeys group_keys(const OfferIndex& offer, const OrganisationStep& organisation, const GroupBy& by);

// The parts of `period` within which no offer's key changes (an operator or region change, when
// grouped by operator or region), in date order: the period itself when nothing changes inside it.
// A view over a period that crosses a change of the organisation is split at its date.
std::vector<domain::DateRange> grouping_periods(const PlanningIndex& index, const domain::DateRange& period,
                                                const GroupBy& by);

}  // namespace placement::projections
