// AdminService.RevokeToken: one bearer token refused from now on, by its jti.

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "services/api/admin_service.h"
#include "services/api/grpc_status.h"
#include "services/api/request_screen.h"

namespace placement::api {

grpc::ServerUnaryReactor* AdminServiceImpl::RevokeToken(grpc::CallbackServerContext* context,
                                                        const v1::RevokeTokenRequest* request,
                                                        v1::RevokeTokenResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto caller = authenticator_.authorized_caller(*context, Rpc::revoke_token, *request);
  if (!caller) {
    reactor->Finish(to_grpc_status(caller.error()));
    return reactor;
  }
  // A token id is stored in the revocation file: like every request string, never a CPR number.
  if (auto clean = refuse_cpr_numbers(*request, ledger_); !clean) {
    reactor->Finish(to_grpc_status(clean.error()));
    return reactor;
  }
  // The append is synced before the answer: off the gRPC threads, on the admin thread.
  boost::asio::post(backups_,
                    [this, reactor, response, token_id = request->token_id(), subject = caller.value().subject()] {
                      auto revoked = revoked_.revoke(token_id, clock_.now());
                      if (!revoked) {
                        reactor->Finish(to_grpc_status(revoked.error()));
                        return;
                      }
                      response->set_already_revoked(!revoked.value());
                      // A jti is no secret: it names the token, it does not let anyone use it.
                      if (revoked.value()) spdlog::info("token {} revoked by {}", token_id, subject);
                      reactor->Finish(grpc::Status::OK);
                    });
  return reactor;
}

}  // namespace placement::api
