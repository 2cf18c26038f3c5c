#pragma once
// OfferService: operator admins register offers and change their capacity and rates; everyone
// may read offers, which carry no citizen data.

#include "placement/v1/offer_service.grpc.pb.h"
#include "services/api/caller.h"
#include "services/ledger/ledger.h"

namespace placement::api {

class OfferServiceImpl final : public v1::OfferService::CallbackService {
 public:
  OfferServiceImpl(ledger::Ledger& ledger, const Authenticator& authenticator)
      : ledger_(ledger), authenticator_(authenticator) {}

  grpc::ServerUnaryReactor* RegisterOffer(grpc::CallbackServerContext*, const v1::RegisterOfferRequest*,
                                          v1::CommandResult*) override;
  grpc::ServerUnaryReactor* ChangeCapacity(grpc::CallbackServerContext*, const v1::ChangeCapacityRequest*,
                                           v1::CommandResult*) override;
  grpc::ServerUnaryReactor* SetRate(grpc::CallbackServerContext*, const v1::SetRateRequest*,
                                    v1::CommandResult*) override;
  grpc::ServerUnaryReactor* CloseOffer(grpc::CallbackServerContext*, const v1::CloseOfferRequest*,
                                       v1::CommandResult*) override;
  grpc::ServerUnaryReactor* GetOffer(grpc::CallbackServerContext*, const v1::GetOfferRequest*, v1::Offer*) override;
  grpc::ServerUnaryReactor* ListOffers(grpc::CallbackServerContext*, const v1::ListOffersRequest*,
                                       v1::ListOffersResponse*) override;
  grpc::ServerUnaryReactor* GetCapacity(grpc::CallbackServerContext*, const v1::GetCapacityRequest*,
                                        v1::PlaceCounts*) override;

 private:
  ledger::Ledger& ledger_;
  const Authenticator& authenticator_;
};

}  // namespace placement::api
