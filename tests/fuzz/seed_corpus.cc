// Writes the seed corpus of the fuzz targets: one file per valid request (request_fuzz) and per
// event those requests decide to (event_codec_fuzz), each prefixed by its selector byte
// (fuzz_selectors.h). Usage: fuzz_seed_corpus <corpus-dir>; writes <dir>/request_fuzz/ and
// <dir>/event_codec_fuzz/. The files are checked in; rerun when the protos change.

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "services/codec/api_mapping.h"
#include "services/codec/event_codec.h"
#include "services/codec/planning_mapping.h"
#include "tests/fuzz/fuzz_selectors.h"
#include "tests/fuzz/fuzz_state.h"

namespace placement::fuzz {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& dir, const std::string& name, std::uint8_t selector, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary);
  out.put(static_cast<char>(selector));
  out << bytes;
}

void set_date(v1::CalendarDate* date, int year, int month, int day) {
  date->set_year(year);
  date->set_month(month);
  date->set_day(day);
}

std::uint8_t event_selector(std::string_view type) {
  const auto it = std::find(kEventTypes.begin(), kEventTypes.end(), type);
  if (it == kEventTypes.end()) std::abort();
  return static_cast<std::uint8_t>(it - kEventTypes.begin());
}

class CorpusWriter {
 public:
  explicit CorpusWriter(const fs::path& root) : requests_(root / "request_fuzz"), events_(root / "event_codec_fuzz") {}

  template <class Request> void request(const std::string& name, RequestKind kind, const Request& message) {
    write(requests_, name, static_cast<std::uint8_t>(kind), message.SerializeAsString());
  }

  // The events a command body decides to against the fixed state.
  void events_of(domain::CommandBody body) {
    auto events = domain::decide(fixed_state(), fuzz_command(std::move(body)));
    if (!events) std::abort();
    for (const domain::Event& event : events.value()) add_event(codec::encode_event(event));
  }

  void add_event(const storage::NewEvent& event) {
    write(events_, event.type + "-" + std::to_string(++event_count_), event_selector(event.type), event.payload);
  }

 private:
  fs::path requests_;
  fs::path events_;
  int event_count_ = 0;
};

void write_corpus(const fs::path& root) {
  CorpusWriter corpus(root);
  using K = RequestKind;

  v1::RegisterOfferRequest offer;
  offer.set_command_id("seed-register");
  offer.set_offer_id("offer-new");
  offer.set_name("Bostedet Lærkehøj");
  offer.set_operator_code(1084);
  offer.set_level(v1::SPECIALISATION_LEVEL_HOJT);
  offer.add_target_groups(v1::TARGET_GROUP_MULTIPLE_DISABILITIES);
  offer.set_service_type(v1::SERVICE_TYPE_DOGN);
  offer.set_paragraph_of_law("SEL § 108");
  offer.set_catchment_region_code(1084);
  offer.mutable_financing()->set_model(v1::FINANCING_MODEL_MIXED);
  offer.mutable_financing()->set_objective_share_bp(4000);
  corpus.request("register_offer", K::register_offer, offer);
  corpus.events_of(codec::to_command(offer).value());

  v1::ChangeCapacityRequest capacity;
  capacity.set_command_id("seed-capacity");
  capacity.set_offer_id("offer-b");
  set_date(capacity.mutable_effective_from(), 2024, 3, 1);
  capacity.set_places(7);
  corpus.request("change_capacity", K::change_capacity, capacity);
  corpus.events_of(codec::to_command(capacity).value());

  v1::SetRateRequest rate;
  rate.set_command_id("seed-rate");
  rate.set_offer_id("offer-b");
  set_date(rate.mutable_effective_from(), 2024, 3, 1);
  rate.set_daily_rate_ore(312'500);
  corpus.request("set_rate", K::set_rate, rate);
  corpus.events_of(codec::to_command(rate).value());
  auto* basis = rate.mutable_basis();
  basis->set_budget_year(2024);
  basis->set_direct_and_indirect_costs_ore(1'000'000'000);
  basis->set_overhead_bp(500);
  basis->set_places(5);
  basis->set_assumed_occupancy_bp(9500);
  corpus.request("set_rate_basis", K::set_rate, rate);

  v1::CloseOfferRequest close;
  close.set_command_id("seed-close");
  close.set_offer_id("offer-b");
  set_date(close.mutable_from(), 2025, 1, 1);
  corpus.request("close_offer", K::close_offer, close);

  v1::RequestPlacementRequest request;
  request.set_command_id("seed-request");
  request.set_cpr("010190-1234");
  request.set_paying_municipality_code(101);
  request.set_offer_id("offer-b");
  request.set_level(v1::SPECIALISATION_LEVEL_MODERAT);
  request.set_target_group(v1::TARGET_GROUP_MULTIPLE_DISABILITIES);
  set_date(request.mutable_requested_start(), 2024, 3, 1);
  request.set_join_waiting_list_if_full(true);
  corpus.request("request_placement", K::request_placement, request);

  v1::ReservePlaceRequest reserve;
  reserve.set_command_id("seed-reserve");
  reserve.set_placement_id("p-requested");
  set_date(reserve.mutable_from(), 2024, 2, 1);
  corpus.request("reserve_place", K::reserve_place, reserve);
  corpus.events_of(codec::to_command(reserve, std::chrono::hours(48)).value());

  v1::AllocatePlaceRequest allocate;
  allocate.set_command_id("seed-allocate");
  allocate.set_placement_id("p-waiting");
  set_date(allocate.mutable_from(), 2024, 2, 1);
  allocate.set_reason("akut behov");
  corpus.request("allocate_place", K::allocate_place, allocate);

  v1::AdmitPlacementRequest admit;
  admit.set_command_id("seed-admit");
  admit.set_placement_id("p-reserved");
  set_date(admit.mutable_on(), 2024, 2, 1);
  corpus.request("admit_placement", K::admit_placement, admit);
  corpus.events_of(codec::to_command(admit).value());

  v1::TransferPlacementRequest transfer;
  transfer.set_command_id("seed-transfer");
  transfer.set_placement_id("p-admitted");
  transfer.set_to_offer_id("offer-b");
  set_date(transfer.mutable_on(), 2024, 4, 1);
  corpus.request("transfer_placement", K::transfer_placement, transfer);
  corpus.events_of(codec::to_command(transfer).value());

  v1::DischargePlacementRequest discharge;
  discharge.set_command_id("seed-discharge");
  discharge.set_placement_id("p-admitted");
  set_date(discharge.mutable_on(), 2024, 6, 1);
  corpus.request("discharge_placement", K::discharge_placement, discharge);
  corpus.events_of(codec::to_command(discharge).value());

  v1::WithdrawPlacementRequest withdraw;
  withdraw.set_command_id("seed-withdraw");
  withdraw.set_placement_id("p-requested");
  withdraw.set_reason("borgeren flyttede");
  corpus.request("withdraw_placement", K::withdraw_placement, withdraw);
  corpus.events_of(codec::to_command(withdraw).value());

  v1::RejectPlacementRequest reject;
  reject.set_command_id("seed-reject");
  reject.set_placement_id("p-requested");
  reject.set_reason("uden for målgruppen");
  corpus.request("reject_placement", K::reject_placement, reject);
  corpus.events_of(codec::to_command(reject).value());

  v1::SearchVacanciesRequest search;
  search.set_target_group(v1::TARGET_GROUP_MULTIPLE_DISABILITIES);
  search.set_level(v1::SPECIALISATION_LEVEL_MODERAT);
  search.set_age(30);
  search.set_preferred_region_code(1084);
  set_date(search.mutable_date(), 2024, 2, 1);
  corpus.request("search_vacancies", K::search_vacancies, search);

  v1::SetObjectiveKeyRequest key;
  key.set_command_id("seed-key");
  for (auto [code, weight] : {std::pair{101u, 7}, {751u, 3}}) {
    auto* entry = key.add_weights();
    entry->set_municipality_code(code);
    entry->set_weight(weight);
  }
  corpus.request("set_objective_key", K::set_objective_key, key);
  corpus.add_event(codec::encode_event(domain::ObjectiveKeySet{codec::to_command(key).value().weights}));

  v1::SetBlockGrantRequest grant;
  grant.set_command_id("seed-grant");
  grant.set_region_code(1084);
  grant.set_year(2024);
  grant.set_amount_ore(50'000'000'00);
  corpus.request("set_block_grant", K::set_block_grant, grant);
  {
    const auto set = codec::to_command(grant).value();
    corpus.add_event(codec::encode_event(domain::BlockGrantSet{set.region_code, set.year, set.amount}));
  }

  v1::SetRefundTiersRequest tiers;
  tiers.set_command_id("seed-tiers");
  tiers.set_year(2024);
  for (auto [threshold, percent] : {std::pair{1'000'000'00LL, 2500}, {2'000'000'00LL, 5000}}) {
    auto* tier = tiers.add_tiers();
    tier->set_threshold_per_year_ore(threshold);
    tier->set_percent_bp(percent);
  }
  corpus.request("set_refund_tiers", K::set_refund_tiers, tiers);
  {
    const auto set = codec::to_command(tiers).value();
    corpus.add_event(codec::encode_event(domain::RefundTiersSet{set.year, set.tiers}));
  }

  v1::RecordIncomeRequest income;
  income.set_command_id("seed-income");
  income.set_placement_id("p-admitted");
  income.set_year(2024);
  income.set_month(3);
  income.set_user_payments_ore(1'200'00);
  income.set_other_refunds_ore(300'00);
  corpus.request("record_income", K::record_income, income);
  {
    const auto recorded = codec::to_command(income).value();
    corpus.add_event(
        codec::encode_event(domain::IncomeRecorded{recorded.placement_id, recorded.month, recorded.income}));
  }

  v1::CapacityViewRequest capacity_view;
  set_date(capacity_view.mutable_date(), 2024, 2, 1);
  capacity_view.add_group_by(v1::GROUP_FIELD_REGION);
  capacity_view.add_group_by(v1::GROUP_FIELD_LEVEL);
  corpus.request("capacity_view", K::capacity_view, capacity_view);

  v1::FinancingRequest financing;
  set_date(financing.mutable_from(), 2024, 1, 1);
  set_date(financing.mutable_to(), 2025, 1, 1);
  auto* override_entry = financing.add_overrides();
  override_entry->set_offer_id("offer-a");
  override_entry->mutable_financing()->set_model(v1::FINANCING_MODEL_OBJEKTIV);
  corpus.request("financing", K::financing, financing);

  v1::SettlementRequest settlement;
  settlement.mutable_month()->set_year(2024);
  settlement.mutable_month()->set_month(3);
  set_date(settlement.mutable_as_of(), 2024, 6, 1);
  corpus.request("settlement", K::settlement, settlement);
}

}  // namespace
}  // namespace placement::fuzz

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_seed_corpus <corpus-dir>\n";
    return 2;
  }
  placement::fuzz::write_corpus(argv[1]);
  return 0;
}
