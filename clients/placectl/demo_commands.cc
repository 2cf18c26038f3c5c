// `placectl demo`: loads a small, realistic scenario through the public API, so a new user sees every
// view with data at once. The special psychiatric places (særlige pladser) of DOMAIN.md's table as
// they stood on 15 October 2018, and a few ordinary offers with placements admitted, discharged,
// transferred and waiting over 2018.
//
// Every command has a fixed command id and is sent under a fixed identity (the ledger answers a
// retried command id as a duplicate only for the same caller), so a second run writes nothing and
// a run that was interrupted is completed by the next one.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clients/placectl/cli.h"
#include "clients/placectl/commands.h"
#include "clients/placectl/credentials.h"
#include "clients/placectl/session.h"
#include "clients/placectl/values.h"

namespace placement::placectl {
namespace {

// The date of DOMAIN.md's table (sources/special-places-vacancy-financing.da.txt, table 1).
constexpr int kTableYear = 2018, kTableMonth = 10, kTableDay = 15;
// 1.9 million kr a year per special place, in øre.
constexpr std::int64_t kSpecialPlaceYearOre = 190'000'000;

v1::CalendarDate day(int year, int month, int day_of_month) {
  v1::CalendarDate date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day_of_month);
  return date;
}

std::string two_digits(int value) {
  return std::string{static_cast<char>('0' + value / 10 % 10), static_cast<char>('0' + value % 10)};
}

std::string four_digits(int value) { return two_digits(value / 100) + two_digits(value % 100); }

// The n-th demo citizen's CPR number, the same on every run: a valid date, and a 7th digit that
// puts the birth in the 1900s for adults (1–3) and in the 2000s for children (4 with YY ≤ 36).
// Distinct n give distinct numbers (n < 1000). Never printed.
std::string demo_cpr(int n, bool child) {
  const int day_of_month = 1 + (n * 7) % 28;
  const int month = 1 + (n * 5) % 12;
  const int year = child ? 4 + n % 9 : 55 + (n * 3) % 44;  // 2004..2012, or 1955..1998
  const int serial = (child ? 4000 : 1000) + n % 1000;
  return two_digits(day_of_month) + two_digits(month) + two_digits(year) + "-" + four_digits(serial);
}

struct Identity {
  std::string subject;
  std::string role;
  std::uint32_t municipality = 0;
  std::uint32_t operator_code = 0;
};

// Each offer's own operator registers it and sets its capacity and rates.
Identity demo_operator(std::uint32_t operator_code) {
  return {"placectl-demo-operator-" + std::to_string(operator_code), "operator", 0, operator_code};
}
Identity demo_planner() { return {"placectl-demo-planner", "planner", 0, 0}; }

// A context carrying `who` as the caller, with the deadline of --timeout. The demo acts as several
// people, so it mints each one's token with the server's secret file: it runs on the server's
// machine, like --as.
std::unique_ptr<grpc::ClientContext> context_as(const Session& session, const Identity& who) {
  if (session.globals().token)
    throw UsageError(
        "demo acts as the offers' operators and as caseworkers of several municipalities, minting their tokens: "
        "run it on the server's machine with --as admin (and --secret-file) instead of --token");
  // One token per identity and run (a run is far shorter than a token's life).
  static std::map<std::string, std::string> tokens;
  auto& token = tokens[who.subject];
  if (token.empty())
    token = mint_token(session.globals().secret_file, who.role, who.subject, who.municipality, kAsTokenLifetime,
                       who.operator_code);
  return session.context_with_token(token);
}

Identity demo_caseworker(std::uint32_t municipality) {
  return {"placectl-demo-" + std::to_string(municipality), "caseworker", municipality, 0};
}

struct OfferPlan {
  std::string id;
  std::string name;
  std::uint32_t operator_code;
  std::uint32_t region;  // catchment
  v1::SpecialisationLevel level;
  std::vector<v1::TargetGroup> groups;
  v1::ServiceType service_type;
  std::string paragraph;
  v1::FinancingModel model;
  int places;
  std::int64_t daily_rate_ore;  // 0: computed from a 2018 budget of 1.9 million kr per place at 100 %
  std::optional<std::pair<v1::CalendarDate, int>> capacity_change = std::nullopt;
};

struct PlacementPlan {
  std::string id;
  std::string offer_id;
  std::uint32_t municipality;
  v1::SpecialisationLevel level;
  v1::TargetGroup group;
  v1::CalendarDate start;
  bool child = false;
  bool wait = false;  // requested while the offer is full: joins its waiting list
  std::optional<v1::CalendarDate> discharge = std::nullopt;
  std::optional<std::pair<std::string, v1::CalendarDate>> transfer = std::nullopt;
};

struct Region {
  std::uint32_t code;
  const char* name;
  const char* slug;
  int open;
  int in_use;
  std::uint32_t municipalities[4];  // paying municipalities of the region's citizens
};

// DOMAIN.md: special psychiatric places on 15 October 2018.
constexpr Region kRegions[] = {
    {1084, "Hovedstaden", "hovedstaden", 32, 12, {101, 147, 151, 157}},
    {1085, "Sjælland", "sjaelland", 7, 7, {259, 265, 316, 330}},
    {1083, "Syddanmark", "syddanmark", 15, 8, {461, 561, 621, 630}},
    {1082, "Midtjylland", "midtjylland", 21, 9, {751, 657, 791, 730}},
    {1081, "Nordjylland", "nordjylland", 8, 4, {851, 813, 820, 860}},
};

struct Scenario {
  std::vector<OfferPlan> offers;
  std::vector<PlacementPlan> placements;
};

Scenario scenario() {
  Scenario s;
  for (const auto& region : kRegions) {
    s.offers.push_back({"demo-sp-" + std::string(region.slug),
                        "Særlige pladser, Region " + std::string(region.name),
                        region.code,
                        region.code,
                        v1::SPECIALISATION_LEVEL_HOJT,
                        {v1::TARGET_GROUP_MENTAL_ILLNESS_WITH_ABUSE_OR_BEHAVIOUR},
                        v1::SERVICE_TYPE_DOGN,
                        "SEL § 108 a",
                        v1::FINANCING_MODEL_OBJEKTIV,
                        region.open,
                        0});
    // The places in use, admitted one after another from January to early October 2018.
    for (int i = 0; i < region.in_use; ++i) {
      const int month = 1 + i * 9 / region.in_use;  // 1..9
      const int day_of_month = 2 + (i * 11) % 26;
      s.placements.push_back({"demo-sp-" + std::string(region.slug) + "-" + two_digits(i + 1),
                              "demo-sp-" + std::string(region.slug), region.municipalities[i % 4],
                              v1::SPECIALISATION_LEVEL_HOJT, v1::TARGET_GROUP_MENTAL_ILLNESS_WITH_ABUSE_OR_BEHAVIOUR,
                              day(2018, month, day_of_month)});
    }
  }

  const auto moderat = v1::SPECIALISATION_LEVEL_MODERAT;
  const auto let = v1::SPECIALISATION_LEVEL_LET;
  const auto g1 = v1::TARGET_GROUP_MULTIPLE_DISABILITIES;
  const auto g2 = v1::TARGET_GROUP_COMMUNICATION_DISABILITIES;
  const auto g3 = v1::TARGET_GROUP_MENTAL_ILLNESS_WITH_ABUSE_OR_BEHAVIOUR;
  const auto g6 = v1::TARGET_GROUP_CHILDREN_WITH_COMPLEX_DIFFICULTIES;
  s.offers.push_back({"demo-solbakken",
                      "Botilbud Solbakken",
                      101,
                      1084,
                      moderat,
                      {g1, g3},
                      v1::SERVICE_TYPE_DOGN,
                      "SEL § 108",
                      v1::FINANCING_MODEL_TAKST,
                      10,
                      245'000,
                      std::pair{day(2018, 7, 1), 12}});
  s.offers.push_back({"demo-egebakken",
                      "Bofællesskabet Egebakken",
                      147,
                      1084,
                      moderat,
                      {g1},
                      v1::SERVICE_TYPE_DOGN,
                      "SEL § 107",
                      v1::FINANCING_MODEL_TAKST,
                      6,
                      198'000});
  s.offers.push_back({"demo-fjordglimt",
                      "Dagtilbuddet Fjordglimt",
                      1082,
                      1082,
                      let,
                      {g2},
                      v1::SERVICE_TYPE_DAGTILBUD,
                      "SEL § 104",
                      v1::FINANCING_MODEL_TAKST,
                      8,
                      95'000});
  s.offers.push_back({"demo-kastanjehuset",
                      "Døgninstitutionen Kastanjehuset",
                      1083,
                      1083,
                      moderat,
                      {g6},
                      v1::SERVICE_TYPE_INSTITUTION,
                      "SEL § 66, stk. 1, nr. 6",
                      v1::FINANCING_MODEL_TAKST,
                      4,
                      410'000});

  auto& p = s.placements;
  // Solbakken: admissions and discharges over the year; one citizen moves on to Egebakken.
  p.push_back({"demo-sol-01", "demo-solbakken", 101, moderat, g1, day(2018, 1, 15), false, false, day(2018, 6, 30)});
  p.push_back({"demo-sol-02", "demo-solbakken", 147, moderat, g3, day(2018, 2, 1), false, false, day(2018, 9, 1)});
  p.push_back({"demo-sol-03", "demo-solbakken", 101, moderat, g1, day(2018, 3, 12), false, false, std::nullopt,
               std::pair{std::string("demo-egebakken"), day(2018, 8, 1)}});
  p.push_back({"demo-sol-04", "demo-solbakken", 151, moderat, g3, day(2018, 4, 3)});
  p.push_back({"demo-sol-05", "demo-solbakken", 157, moderat, g1, day(2018, 5, 22), false, false, day(2018, 11, 30)});
  p.push_back({"demo-sol-06", "demo-solbakken", 101, moderat, g3, day(2018, 10, 1)});
  p.push_back({"demo-ege-01", "demo-egebakken", 147, moderat, g1, day(2018, 2, 5), false, false, day(2018, 12, 1)});
  p.push_back({"demo-ege-02", "demo-egebakken", 151, moderat, g1, day(2018, 9, 17)});
  // Fjordglimt (LET).
  p.push_back({"demo-fjo-01", "demo-fjordglimt", 751, let, g2, day(2018, 1, 8), false, false, day(2018, 4, 30)});
  p.push_back({"demo-fjo-02", "demo-fjordglimt", 657, let, g2, day(2018, 3, 1), false, false, day(2018, 10, 31)});
  p.push_back({"demo-fjo-03", "demo-fjordglimt", 791, let, g2, day(2018, 6, 11)});
  // Kastanjehuset (children): one discharge, then full, and a fifth child waits.
  p.push_back({"demo-kas-01", "demo-kastanjehuset", 461, moderat, g6, day(2018, 1, 10), true, false, day(2018, 7, 31)});
  p.push_back({"demo-kas-02", "demo-kastanjehuset", 561, moderat, g6, day(2018, 2, 20), true});
  p.push_back({"demo-kas-03", "demo-kastanjehuset", 621, moderat, g6, day(2018, 4, 9), true});
  p.push_back({"demo-kas-04", "demo-kastanjehuset", 630, moderat, g6, day(2018, 5, 14), true});
  p.push_back({"demo-kas-05", "demo-kastanjehuset", 461, moderat, g6, day(2018, 8, 6), true});
  p.push_back({"demo-kas-06", "demo-kastanjehuset", 561, moderat, g6, day(2018, 9, 3), true, true});
  return s;
}

// Stops the run at the first refused call; carries placectl's exit code.
struct Stop {
  int code;
};

class Loader {
 public:
  explicit Loader(Session& session) : session_(session) {}

  void run(const Scenario& plan) {
    for (const auto& offer : plan.offers) load(offer);
    int citizen = 0;
    for (const auto& placement : plan.placements) load(placement, ++citizen);
  }

  int commands() const { return written_ + repeated_; }
  int written() const { return written_; }
  int repeated() const { return repeated_; }
  std::uint64_t first_position() const { return first_position_; }
  std::uint64_t last_position() const { return last_position_; }

 private:
  std::unique_ptr<grpc::ClientContext> context(const Identity& who) const { return context_as(session_, who); }

  // The answer is passed whole and read here, after the call: a reference to its result taken
  // among the call's arguments could be evaluated before the call fills the answer in.
  void count(const std::string& what, const grpc::Status& status, const v1::PlacementResponse& response) {
    count(what, status, response.result());
  }

  void count(const std::string& what, const grpc::Status& status, const v1::CommandResult& result) {
    // A data folder loaded by a demo of before the roles were split holds these command ids under
    // the admin's name: the scenario is there, so that is a repeat too.
    if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS &&
        status.error_message().find("already used by another caller") != std::string::npos) {
      ++repeated_;
      return;
    }
    if (!status.ok()) throw Stop{session_.failed("demo: " + what, status)};
    if (result.duplicate()) {
      ++repeated_;
      return;
    }
    ++written_;
    if (first_position_ == 0) first_position_ = result.first_position();
    last_position_ = std::max(last_position_, result.last_position());
  }

  void load(const OfferPlan& plan) {
    const Identity owner = demo_operator(plan.operator_code);
    v1::RegisterOfferRequest register_request;
    register_request.set_command_id("demo-2018-register-" + plan.id);
    register_request.set_offer_id(plan.id);
    register_request.set_name(plan.name);
    register_request.set_operator_code(plan.operator_code);
    register_request.set_level(plan.level);
    for (auto group : plan.groups) register_request.add_target_groups(group);
    register_request.set_service_type(plan.service_type);
    register_request.set_paragraph_of_law(plan.paragraph);
    register_request.set_catchment_region_code(plan.region);
    register_request.mutable_financing()->set_model(plan.model);
    v1::CommandResult result;
    count("register " + plan.id, session_.offers().RegisterOffer(context(owner).get(), register_request, &result),
          result);

    v1::ChangeCapacityRequest capacity;
    capacity.set_command_id("demo-2018-capacity-" + plan.id);
    capacity.set_offer_id(plan.id);
    *capacity.mutable_effective_from() = day(2018, 1, 1);
    capacity.set_places(plan.places);
    count("capacity of " + plan.id, session_.offers().ChangeCapacity(context(owner).get(), capacity, &result), result);
    if (plan.capacity_change) {
      capacity.set_command_id("demo-2018-capacity-2-" + plan.id);
      *capacity.mutable_effective_from() = plan.capacity_change->first;
      capacity.set_places(plan.capacity_change->second);
      count("capacity of " + plan.id, session_.offers().ChangeCapacity(context(owner).get(), capacity, &result),
            result);
    }

    v1::SetRateRequest rate;
    rate.set_command_id("demo-2018-rate-" + plan.id);
    rate.set_offer_id(plan.id);
    *rate.mutable_effective_from() = day(2018, 1, 1);
    if (plan.daily_rate_ore > 0) {
      rate.set_daily_rate_ore(plan.daily_rate_ore);
    } else {
      // 1.9 million kr a year per place, budget year 2018, 100 % occupancy: 520,548 øre a day.
      auto& basis = *rate.mutable_basis();
      basis.set_budget_year(2018);
      basis.set_direct_and_indirect_costs_ore(kSpecialPlaceYearOre * plan.places);
      basis.set_overhead_bp(0);
      basis.set_depreciation_and_interest_ore(0);
      basis.set_places(plan.places);
      basis.set_assumed_occupancy_bp(10'000);
    }
    count("rate of " + plan.id, session_.offers().SetRate(context(owner).get(), rate, &result), result);
  }

  void load(const PlacementPlan& plan, int citizen) {
    const Identity caseworker = demo_caseworker(plan.municipality);
    const std::string cpr = demo_cpr(citizen, plan.child);
    session_.keep_secret(cpr);
    session_.keep_secret(cpr.substr(0, 6) + cpr.substr(7));
    v1::PlacementResponse response;

    v1::RequestPlacementRequest request;
    request.set_command_id("demo-2018-request-" + plan.id);
    request.set_placement_id(plan.id);
    request.set_cpr(cpr);
    request.set_paying_municipality_code(plan.municipality);
    request.set_offer_id(plan.offer_id);
    request.set_level(plan.level);
    request.set_target_group(plan.group);
    *request.mutable_requested_start() = plan.start;
    request.set_join_waiting_list_if_full(plan.wait);
    count("request " + plan.id, session_.placements().RequestPlacement(context(caseworker).get(), request, &response),
          response);
    if (plan.wait) return;

    v1::ReservePlaceRequest reserve;
    reserve.set_command_id("demo-2018-reserve-" + plan.id);
    reserve.set_placement_id(plan.id);
    *reserve.mutable_from() = plan.start;
    count("reserve " + plan.id, session_.placements().ReservePlace(context(caseworker).get(), reserve, &response),
          response);

    v1::AdmitPlacementRequest admit;
    admit.set_command_id("demo-2018-admit-" + plan.id);
    admit.set_placement_id(plan.id);
    *admit.mutable_on() = plan.start;
    count("admit " + plan.id, session_.placements().AdmitPlacement(context(caseworker).get(), admit, &response),
          response);

    if (plan.transfer) {
      v1::TransferPlacementRequest transfer;
      transfer.set_command_id("demo-2018-transfer-" + plan.id);
      transfer.set_placement_id(plan.id);
      transfer.set_to_offer_id(plan.transfer->first);
      *transfer.mutable_on() = plan.transfer->second;
      count("transfer " + plan.id,
            session_.placements().TransferPlacement(context(caseworker).get(), transfer, &response), response);
    }
    if (plan.discharge) {
      v1::DischargePlacementRequest discharge;
      discharge.set_command_id("demo-2018-discharge-" + plan.id);
      discharge.set_placement_id(plan.id);
      *discharge.mutable_on() = *plan.discharge;
      count("discharge " + plan.id,
            session_.placements().DischargePlacement(context(caseworker).get(), discharge, &response), response);
    }
  }

  Session& session_;
  int written_ = 0;
  int repeated_ = 0;
  std::uint64_t first_position_ = 0;
  std::uint64_t last_position_ = 0;
};

// The demo's offers with their counts on the table's date, read back from the server.
std::vector<Record> offer_rows(Session& session, const Scenario& plan) {
  std::vector<Record> rows;
  const Identity planner = demo_planner();
  for (const auto& offer : plan.offers) {
    v1::GetCapacityRequest request;
    request.set_offer_id(offer.id);
    *request.mutable_date() = day(kTableYear, kTableMonth, kTableDay);
    v1::PlaceCounts counts;
    const auto status = session.offers().GetCapacity(context_as(session, planner).get(), request, &counts);
    if (!status.ok()) throw Stop{session.failed("demo: capacity of " + offer.id, status)};
    rows.push_back(Record()
                       .add("offer_id", offer.id)
                       .add("name", offer.name)
                       .add("region", offer.region)
                       .add("level", level_name(offer.level))
                       .add("model", model_name(offer.model))
                       .add("open", counts.open())
                       .add("occupied", counts.occupied())
                       .add("reserved", counts.reserved())
                       .add("vacant", counts.vacant())
                       .add("waiting", counts.waiting()));
  }
  return rows;
}

int demo(Session& session, const Args&) {
  const Scenario plan = scenario();
  Loader loader(session);
  try {
    loader.run(plan);
    const std::vector<Record> rows = offer_rows(session, plan);
    const Globals& globals = session.globals();
    if (session.out().format() != Format::table) {
      Value::List offers(rows.begin(), rows.end());
      session.out().single(Record()
                               .add("commands", loader.commands())
                               .add("written", loader.written())
                               .add("already_loaded", loader.repeated())
                               // The positions written, null when nothing was.
                               .add("first_position", loader.written() > 0 ? Value(loader.first_position()) : Value())
                               .add("last_position", loader.written() > 0 ? Value(loader.last_position()) : Value())
                               .add("offers", static_cast<std::uint64_t>(plan.offers.size()))
                               .add("placements", static_cast<std::uint64_t>(plan.placements.size()))
                               .add("counts_on", "2018-10-15")
                               .add("offer_counts", std::move(offers)));
      return kExitOk;
    }
    std::ostream& out = session.stdout_stream();
    if (loader.written() == 0) {
      out << "The demo scenario was already loaded: all " << loader.commands()
          << " commands answered as duplicates, nothing written.\n";
    } else {
      out << "Loaded the demo scenario: " << loader.written() << " of " << loader.commands()
          << " commands written (log positions " << loader.first_position() << ".." << loader.last_position() << ")";
      if (loader.repeated() > 0) out << ", " << loader.repeated() << " were already there";
      out << ".\n";
    }
    out << plan.offers.size() << " offers, " << plan.placements.size()
        << " placements over 2018 (admissions, discharges, one transfer, one waiting list), as the offers'\n"
           "operators 'placectl-demo-operator-<code>' and caseworkers 'placectl-demo-<municipality>'.\n"
           "The special psychiatric places (demo-sp-*) are DOMAIN.md's table; 1.9 million kr a year per\n"
           "place = 520,548 øre a day.\n\n"
           "On 2018-10-15:\n";
    session.out().list(
        rows, {"offer_id", "name", "region", "level", "model", "open", "occupied", "reserved", "vacant", "waiting"});
    std::string prefix = "placectl";
    if (globals.server != Globals{}.server) prefix += " --server " + globals.server;
    out << "\nNext, try:\n"
        << "  " << prefix << " --as planner offers list\n"
        << "  " << prefix << " --as planner capacity-of demo-sp-hovedstaden --at 2018-10-15\n"
        << "  " << prefix << " --as planner offers show demo-solbakken\n"
        << "  " << prefix << " --as caseworker --municipality 101 placements\n"
        << "  " << prefix
        << " --as caseworker --municipality 101 vacancies --group 3 --level HOJT --age 40 --region 1084"
        << " --date 2018-10-15\n"
        << "  " << prefix << " --as auditor audit verify\n";
    return kExitOk;
  } catch (const Stop& stop) {
    if (loader.written() > 0)
      session.err() << "placectl: demo stopped after writing " << loader.written()
                    << " commands; run it again to complete it (what was written is kept)\n";
    return stop.code;
  }
}

}  // namespace

std::vector<CommandSpec> demo_commands() {
  return {
      {"demo",
       "everyone",
       "load a small realistic scenario (DOMAIN.md's special places, ordinary offers over 2018); idempotent",
       {},
       {},
       {"placectl --as admin demo", "placectl --server 127.0.0.1:50051 --as admin demo --json"},
       false,
       demo},
  };
}

}  // namespace placement::placectl
