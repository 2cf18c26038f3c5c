#include "clients/placectl/session.h"

#include "clients/placectl/credentials.h"

#include <chrono>
#include <cstdio>
#include <random>

namespace placement::placectl {

Session::Session(Globals globals, std::ostream& out, std::ostream& err)
    : globals_(std::move(globals)), out_(out), err_(err), output_(out, globals_.format) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(64 * 1024 * 1024);
  channel_ = grpc::CreateCustomChannel(globals_.server, channel_credentials(globals_), arguments);
}

void Session::default_municipality(const std::string& code) {
  if (!globals_.municipality) globals_.municipality = code;
}

void Session::default_operator(const std::string& code) {
  if (!globals_.operator_code) globals_.operator_code = code;
}

std::unique_ptr<grpc::ClientContext> Session::context(bool streaming) const {
  if (!bearer_) bearer_ = bearer_token(globals_);
  return context_with_token(*bearer_, streaming);
}

std::unique_ptr<grpc::ClientContext> Session::context_with_token(const std::string& token, bool streaming) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + token);
  if (!streaming)
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(globals_.timeout_seconds));
  return context;
}

v1::OfferService::Stub& Session::offers() {
  if (!offers_) offers_ = v1::OfferService::NewStub(channel_);
  return *offers_;
}

v1::PlacementService::Stub& Session::placements() {
  if (!placements_) placements_ = v1::PlacementService::NewStub(channel_);
  return *placements_;
}

v1::AuditService::Stub& Session::audit() {
  if (!audit_) audit_ = v1::AuditService::NewStub(channel_);
  return *audit_;
}

std::string Session::command_id() const {
  if (globals_.command_id) return *globals_.command_id;
  std::random_device device;
  std::uniform_int_distribution<unsigned> byte(0, 255);
  unsigned char bytes[16];
  for (auto& b : bytes) b = static_cast<unsigned char>(byte(device));
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10],
                bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return text;
}

int Session::failed(const std::string& what, const grpc::Status& status) {
  std::string message = status.error_message();
  for (const auto& secret : secrets_) {
    if (secret.empty()) continue;
    for (auto at = message.find(secret); at != std::string::npos; at = message.find(secret, at))
      message.replace(at, secret.size(), "[redacted]");
  }
  // UNAVAILABLE is what gRPC answers when it cannot connect; DEADLINE_EXCEEDED when nothing answered.
  const bool unreachable = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                           status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
  if (unreachable) {
    err_ << "placectl: cannot reach placementd at " << globals_.server << " (" << what
         << "): " << status_code_name(status.error_code()) << ": " << message << '\n';
    return kExitUnreachable;
  }
  err_ << "placectl: " << what << " refused: " << status_code_name(status.error_code()) << ": " << message << '\n';
  return kExitRefused;
}

std::string status_code_name(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED: return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    default: return "CODE_" + std::to_string(static_cast<int>(code));
  }
}

}  // namespace placement::placectl
