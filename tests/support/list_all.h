#pragma once
// Lists everything a ListOffers or ListPlacements request matches, following next_page_token to
// the last page, for tests that want all of it rather than one page. Tests about paging itself
// call the RPC directly.
//
// Each call gets a fresh context from `context` (e.g. testing::as_admin). The answer holds every
// page's items in order and an empty next_page_token; on the first failed call its status is
// returned and the answer holds the pages before it.

#include <functional>
#include <memory>

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include "placement/v1/offer_service.grpc.pb.h"
#include "placement/v1/placement_service.grpc.pb.h"

namespace placement::testing {

using ContextFactory = std::function<std::unique_ptr<grpc::ClientContext>()>;

namespace detail {

// Calls list(context, request, page) page by page, appending each page with add_page.
template <class Request, class Response, class List, class AddPage>
grpc::Status list_all_pages(const ContextFactory& context, Request request, Response* all, List list,
                            AddPage add_page) {
  all->Clear();
  request.clear_page_token();
  for (;;) {
    Response page;
    const auto status = list(context().get(), request, &page);
    if (!status.ok()) return status;
    add_page(*all, page);
    if (page.next_page_token().empty()) return grpc::Status::OK;
    if (page.next_page_token() == request.page_token())
      return grpc::Status(grpc::StatusCode::INTERNAL, "the next page token repeats the one just used");
    request.set_page_token(page.next_page_token());
  }
}

}  // namespace detail

inline grpc::Status list_all_offers(v1::OfferService::StubInterface& stub, const ContextFactory& context,
                                    const v1::ListOffersRequest& request, v1::ListOffersResponse* all) {
  return detail::list_all_pages(
      context, request, all,
      [&stub](grpc::ClientContext* call, const v1::ListOffersRequest& page_request, v1::ListOffersResponse* page) {
        return stub.ListOffers(call, page_request, page);
      },
      [](v1::ListOffersResponse& into, const v1::ListOffersResponse& page) {
        into.mutable_offers()->MergeFrom(page.offers());
      });
}

inline grpc::Status list_all_placements(v1::PlacementService::StubInterface& stub, const ContextFactory& context,
                                        const v1::ListPlacementsRequest& request, v1::ListPlacementsResponse* all) {
  return detail::list_all_pages(
      context, request, all,
      [&stub](grpc::ClientContext* call, const v1::ListPlacementsRequest& page_request,
              v1::ListPlacementsResponse* page) { return stub.ListPlacements(call, page_request, page); },
      [](v1::ListPlacementsResponse& into, const v1::ListPlacementsResponse& page) {
        into.mutable_placements()->MergeFrom(page.placements());
      });
}

}  // namespace placement::testing
