#pragma once
// The one place where a grpc::Status from etcd becomes our Error (the etcd log's counterpart of
// rocksdb_status.h). The message is always "<what>: <etcd's text>".

#include <string_view>

#include <grpcpp/support/status.h>

#include "services/base/result.h"

namespace placement::storage {

// True when the member asked could not answer but another may: it is down or unreachable, timed
// out, has no leader or lost its quorum. A read is then tried on the next endpoint.
bool etcd_member_cannot_answer(const grpc::Status& status);

// A failed status as our Error: a member that cannot answer, etcd's storage quota ("database
// space exceeded") and refused credentials are unavailable (a later retry can succeed once the
// cluster or its operator acts); a compacted revision is out_of_range; a request etcd refuses as
// too large or with too many operations is invalid_argument (the log sizes its transactions so
// this does not happen), except a missing user where etcd has authentication enabled, which is
// unavailable with a hint; anything else is internal. Only for statuses that are not ok().
Error from_etcd(const grpc::Status& status, std::string_view what);

}  // namespace placement::storage
