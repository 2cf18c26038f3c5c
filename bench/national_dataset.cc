// national_dataset: writes a national-scale ledger into a data folder placementd can open, for the
// view, replay and restart benchmarks (docs/BENCHMARKS.md §3–§4).
//
// The events are real: every command goes through domain::decide against the state so far, its
// events are applied and encoded with the event codec, and appended through storage::RocksDbEventLog
// with envelopes, hash chain and indexes, exactly as placementd writes them; citizens are
// pseudonymised with the folder's own key (<data>.pseudonym-key). Only the clock is simulated: day by
// day from --from-year to --to-date, caseworkers of all 98 municipalities request, reserve and admit
// placements and discharge them after a stay of 30–945 days, so about --placements are admitted at
// the end. Offers get a capacity and a yearly rate; a place that is not free makes the request be
// withdrawn. Citizens get their ids and keys in the folder's key store (<data>.citizen-keys), as
// placementd issues them (one synced write per new citizen). Appends are grouped (--batch commands per synced write); the order of events is the
// order decide() saw them.
//
//   national_dataset --data DIR [--offers 5000] [--placements 100000] [--from-year 2016] [--seed 1]
//
// Prints one human line and one JSON line with the counts. Exit 1 on any failure.

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "services/codec/event_codec.h"
#include "services/domain/apply.h"
#include "services/domain/decide.h"
#include "services/domain/events.h"
#include "services/ledger/reference_data.h"
#include "services/ledger/replay.h"
#include "services/privacy/citizen_keys.h"
#include "services/privacy/pseudonymizer.h"
#include "storage/rocksdb_event_log.h"

namespace {

namespace fs = std::filesystem;
namespace domain = placement::domain;
namespace storage = placement::storage;
namespace ledger = placement::ledger;
namespace privacy = placement::privacy;
namespace v1 = placement::v1;
using domain::Date;

constexpr std::string_view kUsage = R"(usage: national_dataset --data DIR [options]

Writes a national-scale placement ledger (real events through decide, the event codec and the
RocksDB log) into DIR, which must not exist yet.

options:
  --offers N        offers (default 5000)
  --placements N    placements admitted at the end, about (default 100000)
  --from-year Y     first simulated year; earlier means more history (default 2016)
  --to-date DATE    last simulated day, YYYY-MM-DD (default 2026-11-01)
  --batch N         commands per synced append (default 4096)
  --seed S          random seed (default 1)
)";

struct Options {
  fs::path data;
  int offers = 5000;
  int placements = 100000;
  int from_year = 2016;
  Date to = Date::from_civil(2026, 11, 1);
  std::size_t batch = 4096;
  unsigned seed = 1;
};

constexpr int kMinStayDays = 30;
constexpr int kMaxStayDays = 945;             // mean stay (30 + 945) / 2 ≈ 487 days
constexpr std::int32_t kPlacesPerOffer = 40;  // 5,000 offers × 40 = twice the places the stock needs

domain::Instant at(Date day, int hour) {
  return domain::Instant(
      std::chrono::microseconds((static_cast<std::int64_t>(day.days_since_epoch()) * 86400 + hour * 3600) * 1000000LL));
}

class Generator {
 public:
  Generator(const Options& options, storage::RocksDbEventLog& log, privacy::Pseudonymizer& pseudonyms,
            privacy::CitizenKeys& keys)
      : options_(options), log_(log), pseudonyms_(pseudonyms), keys_(keys), random_(options.seed) {}

  bool run() {
    if (!write_reference_data()) return false;
    const Date first = Date::from_civil(options_.from_year, 1, 1);
    register_offers(first);
    // Little's law: arrivals per day × mean stay = placements admitted at steady state.
    const double mean_stay = (kMinStayDays + kMaxStayDays) / 2.0;
    const double arrivals_per_day = options_.placements / mean_stay;
    double due = 0;
    for (Date day = first; day <= options_.to; day = domain::add_days(day, 1)) {
      discharge_due(day);
      for (due += arrivals_per_day; due >= 1; due -= 1) place_one(day);
      if (!flush_if_full()) return false;
    }
    return flush();
  }

  void print() const {
    const auto head = log_.head().position.value;
    std::size_t admitted = 0;
    for (const auto& [id, placement] : model_.state.placements)
      if (placement.status == domain::PlacementStatus::admitted) ++admitted;
    std::printf(
        "national_dataset: %llu events, %zu offers, %zu placements (%zu admitted at the end), %llu commands "
        "refused by decide\n",
        static_cast<unsigned long long>(head), model_.state.offers.size(), model_.state.placements.size(), admitted,
        static_cast<unsigned long long>(refused_));
    std::printf(
        "{\"bench\":\"national_dataset\",\"events\":%llu,\"offers\":%zu,\"placements\":%zu,\"admitted\":%zu,"
        "\"municipalities\":%zu,\"refused\":%llu}\n",
        static_cast<unsigned long long>(head), model_.state.offers.size(), model_.state.placements.size(), admitted,
        model_.state.municipalities.size(), static_cast<unsigned long long>(refused_));
  }

 private:
  bool write_reference_data() {
    auto data = ledger::parse_reference_data(ledger::builtin_municipalities_csv());
    if (!data) return report("reference data", data.error().message);
    const domain::Actor system{"placementd", domain::Role::admin, 0};
    if (!execute(system, at(Date::from_civil(options_.from_year, 1, 1), 0), std::move(data).value()) || !flush())
      return report("reference data", "refused");
    for (const auto& [code, municipality] : model_.state.municipalities) municipalities_.push_back(code);
    return true;
  }

  void register_offers(Date first) {
    const domain::Actor admin{"dataset-admin", domain::Role::admin, 0};
    const std::int32_t regions[] = {1081, 1082, 1083, 1084, 1085};
    std::uniform_int_distribution<int> percent(0, 99);
    std::uniform_int_distribution<int> group(1, 6);
    std::uniform_int_distribution<int> level(1, 3);
    std::uniform_int_distribution<std::int64_t> rate(150000, 900000);  // 1,500–9,000 kr a day
    for (int i = 0; i < options_.offers; ++i) {
      const auto id = "tilbud-" + std::to_string(i + 1);
      const bool municipal = percent(random_) < 40;  // 40 % run by a municipality, the rest by a region
      const std::int32_t operator_code =
          municipal ? municipalities_[static_cast<std::size_t>(i) % municipalities_.size()] : regions[i % 5];
      domain::RegisterOffer offer;
      offer.offer_id = id;
      offer.name = "Tilbud " + std::to_string(i + 1);
      offer.operator_code = operator_code;
      offer.level = static_cast<domain::SpecialisationLevel>(level(random_));
      offer.target_groups.push_back(static_cast<domain::TargetGroup>(group(random_)));
      offer.service_type = domain::ServiceType::dogn;
      offer.paragraph_of_law = "SEL § 108";
      offer.catchment =
          percent(random_) < 20 ? domain::Catchment::national() : domain::Catchment::region(regions[i % 5]);
      const int model = percent(random_);
      offer.financing = model < 70   ? domain::Financing{domain::FinancingModel::takst, 0}
                        : model < 80 ? domain::Financing{domain::FinancingModel::basis, 0}
                        : model < 90 ? domain::Financing{domain::FinancingModel::objektiv, 0}
                                     : domain::Financing{domain::FinancingModel::mixed, 5000};
      const auto financing = offer.financing.model;
      execute(admin, at(first, 8), offer);
      execute(admin, at(first, 8), domain::ChangeCapacity{id, first, kPlacesPerOffer});
      for (int year = options_.from_year; year <= options_.to.year() + 1; ++year) {
        domain::SetRate set;
        set.offer_id = id;
        set.effective_from = Date::from_civil(year, 1, 1);
        set.daily_rate = placement::Ore{rate(random_)};
        if (financing == domain::FinancingModel::basis) set.daily_copayment_rate = placement::Ore{50000};
        execute(admin, at(first, 8), set);
      }
      offer_ids_.push_back(id);
      offer_groups_.push_back(static_cast<int>(offer.target_groups.front()));
    }
  }

  // A CPR number (10 digits) for a citizen of `age` on `day`: the century digit (7th) follows the
  // CPR rule, 0–3 for the 1900s and 4 for 2000–2036 births; the serial spreads over 1,000 values.
  std::pair<std::string, Date> citizen_born(Date day, int age) {
    const int year = day.year() - age;
    std::uniform_int_distribution<int> month(1, 12), mday(1, 28), serial(0, 999);
    const Date born =
        Date::from_civil(year, static_cast<unsigned>(month(random_)), static_cast<unsigned>(mday(random_)));
    const int century_digit = year >= 2000 ? 4 : serial(random_) % 4;
    char digits[16];
    std::snprintf(digits, sizeof digits, "%02u%02u%02d%d%03d", born.day(), born.month(), year % 100, century_digit,
                  serial(random_));
    return {digits, born};
  }

  void place_one(Date day) {
    std::uniform_int_distribution<std::size_t> pick_offer(0, offer_ids_.size() - 1);
    std::uniform_int_distribution<std::size_t> pick_municipality(0, municipalities_.size() - 1);
    std::uniform_int_distribution<int> adult_age(18, 80), child_age(4, 16), stay(kMinStayDays, kMaxStayDays);
    const std::size_t offer = pick_offer(random_);
    const int group = offer_groups_[offer];
    const auto [cpr, born] = citizen_born(day, group >= 5 ? child_age(random_) : adult_age(random_));
    const std::int32_t paying = municipalities_[pick_municipality(random_)];
    const domain::Actor caseworker{"caseworker-" + std::to_string(paying), domain::Role::caseworker, paying};
    const auto id = "p-" + std::to_string(++placements_);

    domain::RequestPlacement request;
    request.placement_id = id;
    // As placementd does: the citizen's id and key are issued in the key store (made durable
    // before the batch is written), and the event carries only the id and the sealed pseudonym.
    auto citizen = keys_.reference(pseudonyms_.citizen(cpr), "");
    if (!citizen) {
      ++refused_;
      return;
    }
    request.citizen = std::move(citizen).value();
    request.birth_date = born;
    request.paying_municipality = paying;
    request.offer_id = offer_ids_[offer];
    request.level = model_.state.offers.find(offer_ids_[offer])->second.level;
    request.target_group = static_cast<domain::TargetGroup>(group);
    request.requested_start = day;
    if (!execute(caseworker, at(day, 9), request)) return;
    if (!execute(caseworker, at(day, 10), domain::ReservePlace{id, day, std::chrono::hours(24 * 14), false})) {
      execute(caseworker, at(day, 10), domain::WithdrawPlacement{id, "ingen ledig plads"});
      return;
    }
    if (!execute(caseworker, at(day, 11), domain::AdmitPlacement{id, day})) return;
    const Date leaves = domain::add_days(day, stay(random_));
    if (leaves <= options_.to) discharges_[leaves].push_back({id, caseworker});
  }

  void discharge_due(Date day) {
    auto due = discharges_.find(day);
    if (due == discharges_.end()) return;
    for (const auto& [id, caseworker] : due->second)
      execute(caseworker, at(day, 12), domain::DischargePlacement{id, day});
    discharges_.erase(due);
  }

  // Decides the command on the state so far; on success applies its events and queues them as one
  // append request, as the ledger's writer does. Returns whether decide accepted it.
  bool execute(const domain::Actor& actor, domain::Instant now, domain::CommandBody body) {
    domain::Command command{actor, "gen-" + std::to_string(++commands_), now,
                            Date::from_days(static_cast<std::int32_t>(
                                std::chrono::floor<std::chrono::days>(now).time_since_epoch().count())),
                            std::move(body)};
    auto events = domain::decide(model_.state, command);
    if (!events) {
      if (refused_++ < 5)
        std::cerr << "national_dataset: refused (" << command.command_id << "): " << events.error().message << "\n";
      return false;
    }
    storage::AppendRequest request;
    request.command_id = command.command_id;
    request.actor.set_subject(actor.subject);
    request.actor.set_role(actor.role == domain::Role::admin ? v1::ROLE_ADMIN : v1::ROLE_CASEWORKER);
    request.actor.set_municipality_code(static_cast<std::uint32_t>(actor.municipality_code));
    request.recorded_at = std::chrono::system_clock::time_point(now.time_since_epoch());
    for (const auto& event : events.value()) {
      domain::apply(model_.state, event);
      std::string stream = domain::stream_of(event);
      if (request.streams.empty() || request.streams.back().stream_id != stream)
        request.streams.push_back({std::move(stream), storage::ExpectedVersion::any(), {}});
      request.streams.back().events.push_back(placement::codec::encode_event(event));
    }
    pending_.push_back(std::move(request));
    return true;
  }

  bool flush_if_full() { return pending_.size() < options_.batch || flush(); }

  bool flush() {
    if (pending_.empty()) return true;
    // As the server's writer does: the keys these events are sealed under are durable first.
    if (auto durable = keys_.make_durable(); !durable) return report("key store sync", durable.error().message);
    auto outcome = log_.append(std::move(pending_));
    pending_.clear();
    for (const auto& result : outcome.results)
      if (!result) return report("append", result.error().message);
    const auto head = log_.head().position.value;
    if (head / 1000000 != reported_millions_) {
      reported_millions_ = head / 1000000;
      std::cerr << "national_dataset: " << head << " events written\n";
    }
    return true;
  }

  static bool report(std::string_view what, const std::string& message) {
    std::cerr << "national_dataset: " << what << " failed: " << message << "\n";
    return false;
  }

  struct Due {
    std::string id;
    domain::Actor caseworker;
  };

  const Options& options_;
  storage::RocksDbEventLog& log_;
  privacy::Pseudonymizer& pseudonyms_;
  privacy::CitizenKeys& keys_;
  std::mt19937_64 random_;
  ledger::ReadModel model_;
  std::vector<std::int32_t> municipalities_;
  std::vector<std::string> offer_ids_;
  std::vector<int> offer_groups_;
  std::map<Date, std::vector<Due>> discharges_;
  std::vector<storage::AppendRequest> pending_;
  std::uint64_t commands_ = 0, placements_ = 0, refused_ = 0, reported_millions_ = 0;
};

template <class Int> bool parse_number(std::string_view text, Int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::optional<Options> parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (i + 1 >= argc) break;
    const std::string_view value = argv[++i];
    bool ok = true;
    if (arg == "--data") options.data = std::string(value);
    else if (arg == "--offers") ok = parse_number(value, options.offers) && options.offers > 0;
    else if (arg == "--placements") ok = parse_number(value, options.placements) && options.placements > 0;
    else if (arg == "--from-year") ok = parse_number(value, options.from_year) && options.from_year >= 1950;
    else if (arg == "--batch") ok = parse_number(value, options.batch) && options.batch > 0;
    else if (arg == "--seed") ok = parse_number(value, options.seed);
    else if (arg == "--to-date") {
      auto date = domain::parse_date(value);
      ok = date.has_value();
      if (ok) options.to = date.value();
    } else ok = false;
    if (!ok) {
      std::cerr << "national_dataset: bad option " << arg << " " << value << "\n" << kUsage;
      return std::nullopt;
    }
  }
  if (options.data.empty() || fs::exists(options.data)) {
    std::cerr << "national_dataset: --data must name a folder that does not exist yet\n" << kUsage;
    return std::nullopt;
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  auto options = parse(argc, argv);
  if (!options) return 2;
  auto log = storage::RocksDbEventLog::open(options->data.string(), {.create_if_missing = true, .min_free_bytes = 0});
  if (!log) {
    std::cerr << "national_dataset: cannot open " << options->data << ": " << log.error().message << "\n";
    return 1;
  }
  // Where placementd looks for the key by default: beside the data folder.
  const fs::path key_file = options->data.lexically_normal().string() + ".pseudonym-key";
  auto key = privacy::Pseudonymizer::from_key_file(key_file, /*create_if_missing=*/true);
  if (!key) {
    std::cerr << "national_dataset: " << key.error().message << "\n";
    return 1;
  }
  // And the per-citizen key store, also beside it (<data>.citizen-keys).
  auto keys = privacy::CitizenKeys::open(options->data.lexically_normal().string() + ".citizen-keys");
  if (!keys) {
    std::cerr << "national_dataset: " << keys.error().message << "\n";
    return 1;
  }
  const auto started = std::chrono::steady_clock::now();
  Generator generator(*options, *log.value(), key.value(), *keys.value());
  if (!generator.run()) return 1;
  generator.print();
  std::cerr << "national_dataset: took "
            << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count()
            << " s\n";
  return 0;
}
