#pragma once
// What every write request is held to before anything is decided, written or logged, whatever its
// fields: no CPR number in any string (codec/cpr_screen.h). One call per write RPC, through
// command_call or, for the writes that are not ledger commands (erasure, backup, cosignature),
// in their handlers.

#include <google/protobuf/message.h>

#include "services/base/result.h"
#include "services/ledger/ledger.h"

namespace placement::api {

// invalid_argument naming the field when a string of `request` holds a CPR number. A reference to
// a placement or an offer the log already holds passes (its id is stored already; the server's
// own placement ids, made from a hash, could by chance look like one before they were screened).
Status refuse_cpr_numbers(const google::protobuf::Message& request, const ledger::Ledger& ledger);

}  // namespace placement::api
