#include "services/codec/snapshot_codec.h"

#include <boost/container/flat_set.hpp>

#include <concepts>
#include <limits>
#include <type_traits>

namespace placement::codec {
namespace {

constexpr std::string_view kMagic = "placement-snapshot";

template <class T, class U>
concept Is = std::same_as<std::remove_const_t<T>, U>;

// The one list of fields per type, shared by the writer and the reader (T is const when writing),
// so encoding and decoding cannot drift apart. A type not listed here cannot be written.
template <class A, Is<domain::Region> T> void fields(A& a, T& x) {
  a(x.code, x.name, x.established_from, x.ceased_from, x.successor_code);
}
template <class A, Is<domain::Municipality> T> void fields(A& a, T& x) {
  a(x.code, x.name, x.region_code, x.objective_weight, x.region_changes);
}
template <class A, Is<domain::WaitingEntry> T> void fields(A& a, T& x) {
  a(x.requested_at, x.sequence, x.placement_id);
}
template <class A, Is<domain::Financing> T> void fields(A& a, T& x) { a(x.model, x.objective_share_bp); }
template <class A, Is<domain::Catchment> T> void fields(A& a, T& x) { a(x.region_code); }
template <class A, Is<domain::RateBasis> T> void fields(A& a, T& x) {
  a(x.budget_year, x.direct_and_indirect_costs, x.overhead_bp, x.depreciation_and_interest, x.places,
    x.assumed_occupancy_bp);
}
template <class A, Is<domain::Rate> T> void fields(A& a, T& x) {
  a(x.daily_rate, x.daily_copayment_rate, x.daily_vacancy_rate, x.basis);
}
template <class A, Is<domain::OfferState> T> void fields(A& a, T& x) {
  a(x.id, x.name, x.operator_code, x.level, x.target_groups, x.service_type, x.paragraph_of_law, x.catchment,
    x.financing, x.operator_changes, x.capacity, x.rates, x.closed_from, x.waiting_list, x.active_ids, x.ended_stays);
}
template <class A, Is<domain::DateRange> T> void fields(A& a, T& x) { a(x.from, x.to); }
template <class A, Is<domain::Stay> T> void fields(A& a, T& x) { a(x.offer_id, x.range); }
template <class A, Is<domain::CitizenRef> T> void fields(A& a, T& x) { a(x.citizen_id, x.household_id, x.sealed); }
template <class A, Is<domain::PlacementState> T> void fields(A& a, T& x) {
  a(x.id, x.citizen, x.age_at_start, x.paying_municipality, x.offer_id, x.level, x.target_group, x.requested_start,
    x.requested_at, x.status, x.waiting_sequence, x.hold_from, x.hold_expires_at, x.admitted_on, x.discharged_on,
    x.last_proposed_from, x.previous_stays, x.allocation_reason, x.end_reason);
}
// planning last: the bytes are those of format 3, which wrote the inputs right after the State.
template <class A, Is<domain::State> T> void fields(A& a, T& x) {
  a(x.regions, x.municipalities, x.offers, x.placements, x.next_waiting_sequence, x.planning);
}
template <class A, Is<domain::YearMonth> T> void fields(A& a, T& x) { a(x.year, x.month); }
template <class A, Is<domain::RefundTier> T> void fields(A& a, T& x) { a(x.threshold_per_year, x.percent_bp); }
template <class A, Is<domain::RefundTable> T> void fields(A& a, T& x) { a(x.price_level, x.tiers); }
template <class A, Is<domain::MonthIncome> T> void fields(A& a, T& x) { a(x.user_payments, x.other_refunds); }
template <class A, Is<domain::CaseCosts> T> void fields(A& a, T& x) { a(x.other_costs, x.one_off); }
template <class A, Is<domain::PlanningInputs> T> void fields(A& a, T& x) {
  a(x.objective_key_override, x.block_grants, x.refund_tables, x.income, x.case_costs);
}

// A field added to one of these types must be added to its list above (and kSnapshotFormat bumped);
// the sizes, pinned where they are known, make the compiler point that out.
#if defined(__x86_64__) && defined(__GLIBCXX__)
static_assert(sizeof(domain::OfferState) == 376, "OfferState changed: update its snapshot fields");
static_assert(sizeof(domain::PlacementState) == 344, "PlacementState changed: update its snapshot fields");
static_assert(sizeof(domain::State) == 448, "State changed: update its snapshot fields");
static_assert(sizeof(domain::PlanningInputs) == 248, "PlanningInputs changed: update its snapshot fields");
static_assert(sizeof(domain::Rate) == 72, "Rate changed: update its snapshot fields");
#endif

template <class A, class T>
concept HasFields = requires(A& a, T& x) {
  fields(a, x);
};

// Integers as varints (signed ones zigzag-encoded), strings and containers length-prefixed.
class Writer {
 public:
  template <class... F> void operator()(const F&... f) { (write(f), ...); }
  void raw(std::string_view bytes) { out_.append(bytes); }
  std::string take() { return std::move(out_); }

 private:
  void unsigned_int(std::uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void signed_int(std::int64_t v) {
    unsigned_int((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }

  template <std::integral T> void write(T v) {
    if constexpr (std::is_signed_v<T>) signed_int(v);
    else unsigned_int(v);
  }
  template <class T>
  requires std::is_enum_v<T>
  void write(T v) { unsigned_int(static_cast<std::uint64_t>(static_cast<std::underlying_type_t<T>>(v))); }
  void write(const std::string& s) {
    unsigned_int(s.size());
    out_.append(s);
  }
  void write(domain::Date d) { signed_int(d.days_since_epoch()); }
  void write(domain::Instant t) { signed_int(t.time_since_epoch().count()); }
  void write(Ore o) { signed_int(o.value); }
  template <class T> void write(const std::optional<T>& o) {
    write(o.has_value());
    if (o) write(*o);
  }
  template <class K, class V> void write(const std::pair<K, V>& p) {
    write(p.first);
    write(p.second);
  }
  template <class T> void write(const std::vector<T>& v) { sequence(v); }
  template <class T, class C> void write(const std::set<T, C>& s) { sequence(s); }
  template <class T, class C> void write(const boost::container::flat_set<T, C>& s) { sequence(s); }
  template <class K, class V, class C> void write(const std::map<K, V, C>& m) { sequence(m); }
  template <class T> void write(const domain::EffectiveTimeline<T>& t) { sequence(t.entries()); }
  template <class T>
  requires HasFields<Writer, const T>
  void write(const T& x) { fields(*this, x); }
  template <class Range> void sequence(const Range& r) {
    unsigned_int(r.size());
    for (const auto& element : r) write(element);
  }

  std::string out_;
};

// Reads what Writer wrote. The first error sticks: later reads do nothing, and decode_snapshot
// reports it. Counts are checked against the bytes left before anything is allocated for them.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  template <class... F> void operator()(F&... f) { (read(f), ...); }
  bool raw(std::string_view expected) {
    if (failed_ || in_.substr(0, expected.size()) != expected) return fail("it is not a snapshot");
    in_.remove_prefix(expected.size());
    return true;
  }
  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }
  bool at_end() const { return in_.empty(); }
  std::uint64_t unsigned_int() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (failed_ || in_.empty()) return fail("it ends too early"), 0;
      const auto byte = static_cast<unsigned char>(in_.front());
      in_.remove_prefix(1);
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
    return fail("a number is too long"), 0;
  }

 private:
  bool fail(std::string_view what) {
    if (!failed_) error_ = std::string(what);
    failed_ = true;
    return false;
  }
  std::int64_t signed_int() {
    const std::uint64_t v = unsigned_int();
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
  }
  std::size_t count() {
    const std::uint64_t n = unsigned_int();
    if (n > in_.size()) return fail("a count exceeds the bytes left"), 0;
    return static_cast<std::size_t>(n);
  }

  template <std::integral T> void read(T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      const std::uint64_t raw = unsigned_int();
      if (raw > 1) fail("a flag is neither 0 nor 1");
      v = raw == 1;
    } else if constexpr (std::is_signed_v<T>) {
      const std::int64_t raw = signed_int();
      if (raw < std::numeric_limits<T>::min() || raw > std::numeric_limits<T>::max()) fail("a number is out of range");
      v = static_cast<T>(raw);
    } else {
      const std::uint64_t raw = unsigned_int();
      if (raw > std::numeric_limits<T>::max()) fail("a number is out of range");
      v = static_cast<T>(raw);
    }
  }
  template <class T>
  requires std::is_enum_v<T>
  void read(T& v) {
    std::underlying_type_t<T> raw{};
    read(raw);
    v = static_cast<T>(raw);
  }
  void read(std::string& s) {
    const std::size_t n = count();
    if (failed_) return;
    s.assign(in_.substr(0, n));
    in_.remove_prefix(n);
  }
  void read(domain::Date& d) {
    std::int32_t days = 0;
    read(days);
    d = domain::Date::from_days(days);
  }
  void read(domain::Instant& t) { t = domain::Instant(std::chrono::microseconds(signed_int())); }
  void read(Ore& o) { o = Ore{signed_int()}; }
  template <class T> void read(std::optional<T>& o) {
    bool present = false;
    read(present);
    if (!present || failed_) return o.reset();
    read(o.emplace());
  }
  template <class K, class V> void read(std::pair<K, V>& p) {
    read(p.first);
    read(p.second);
  }
  template <class T> void read(std::vector<T>& v) {
    const std::size_t n = count();
    v.clear();
    v.reserve(n);
    for (std::size_t i = 0; i < n && !failed_; ++i) read(v.emplace_back());
  }
  template <class T, class C> void read(std::set<T, C>& s) {
    const std::size_t n = count();
    s.clear();
    for (std::size_t i = 0; i < n && !failed_; ++i) {
      T element{};
      read(element);
      s.emplace_hint(s.end(), std::move(element));
    }
  }
  // Written in order, so each element goes at the end; out of order (a damaged snapshot that still
  // parses) it is put in its place all the same, as for std::set.
  template <class T, class C> void read(boost::container::flat_set<T, C>& s) {
    const std::size_t n = count();
    s.clear();
    s.reserve(n);
    for (std::size_t i = 0; i < n && !failed_; ++i) {
      T element{};
      read(element);
      s.emplace_hint(s.end(), std::move(element));
    }
  }
  template <class K, class V, class C> void read(std::map<K, V, C>& m) {
    const std::size_t n = count();
    m.clear();
    for (std::size_t i = 0; i < n && !failed_; ++i) {
      std::pair<K, V> entry{};
      read(entry);
      m.emplace_hint(m.end(), std::move(entry));
    }
  }
  template <class T> void read(domain::EffectiveTimeline<T>& t) {
    std::map<domain::Date, T> entries;
    read(entries);
    t = {};
    for (auto& [from, value] : entries) t.set(from, std::move(value));
  }
  template <class T>
  requires HasFields<Reader, T>
  void read(T& x) { fields(*this, x); }

  std::string_view in_;
  bool failed_ = false;
  std::string error_;
};

}  // namespace

std::string encode_snapshot(const domain::State& state, Position position) {
  Writer writer;
  writer.raw(kMagic);
  writer(kSnapshotFormat, position.value, state);
  return writer.take();
}

Result<SnapshotContents> decode_snapshot(std::string_view bytes) {
  Reader reader(bytes);
  if (!reader.raw(kMagic)) return fail(Errc::data_loss, "cannot read the snapshot: " + reader.error());
  const std::uint64_t format = reader.unsigned_int();
  if (!reader.failed() && format != kSnapshotFormat)
    return fail(Errc::data_loss, "the snapshot has format " + std::to_string(format) + ", this server reads " +
                                     std::to_string(kSnapshotFormat));
  SnapshotContents contents;
  reader(contents.position.value, contents.state);
  if (!reader.failed() && !reader.at_end())
    return fail(Errc::data_loss, "cannot read the snapshot: bytes follow its end");
  if (reader.failed()) return fail(Errc::data_loss, "cannot read the snapshot: " + reader.error());
  return contents;
}

}  // namespace placement::codec
