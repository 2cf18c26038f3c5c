// EtcdEventLog, opening and what its phases share: the keys, the head, the failure for good.
// The phases: etcd_event_log.cc (open), etcd_event_log_append.cc (append),
// etcd_event_log_read.cc (the reads and verify_chain).
#include "storage/etcd_event_log.h"

#include <spdlog/spdlog.h>

#include "etcd/etcdserver/etcdserverpb/rpc.pb.h"
#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "storage/log_records.h"

namespace placement::storage {

EtcdEventLog::EtcdEventLog(std::unique_ptr<EtcdClient> client, EtcdLogOptions options)
    : client_(std::move(client)), options_(std::move(options)) {}

EtcdEventLog::~EtcdEventLog() = default;

std::string EtcdEventLog::key(std::string_view family, std::string_view rest) const {
  std::string joined = options_.prefix;
  joined.append(family);
  joined.append(rest);
  return joined;
}

Result<std::unique_ptr<EtcdEventLog>> EtcdEventLog::open(const EtcdConnection& connection,
                                                         const EtcdLogOptions& options) {
  if (options.max_txn_ops < 3)
    return fail(Errc::invalid_argument, "etcd max-txn-ops must be at least 3 (one event, its command, the head)");
  if (options.max_request_bytes <= kRequestMargin)
    return fail(Errc::invalid_argument,
                "etcd max-request-bytes must be more than " + std::to_string(kRequestMargin) + " bytes");
  PLACEMENT_TRY(client, EtcdClient::connect(connection));
  std::unique_ptr<EtcdEventLog> log(new EtcdEventLog(std::move(client), options));
  PLACEMENT_TRY(log->init_or_check_format());
  PLACEMENT_TRY(log->load_head());
  spdlog::info("event log on etcd ({}), prefix '{}', head at position {}", connection.endpoints.front(), options.prefix,
               log->head().position.value);
  return log;
}

Result<std::optional<std::string>> EtcdEventLog::get(const std::string& key, std::int64_t* mod_revision) const {
  etcdserverpb::RangeRequest request;
  request.set_key(key);
  PLACEMENT_TRY(response, client_->range(request));
  if (mod_revision) *mod_revision = response.kvs_size() == 0 ? 0 : response.kvs(0).mod_revision();
  if (response.kvs_size() == 0) return std::optional<std::string>();
  return std::optional<std::string>(response.kvs(0).value());
}

Status EtcdEventLog::init_or_check_format() {
  const std::string format_key = key("format", "");
  PLACEMENT_TRY(format, get(format_key));
  if (format) {
    if (*format != kFormatVersion)
      return fail(Errc::failed_precondition, "etcd prefix '" + options_.prefix + "' holds a log of format '" + *format +
                                                 "', not " + std::string(kFormatVersion));
    return ok();
  }
  etcdserverpb::RangeRequest any;
  any.set_key(options_.prefix);
  std::string end = options_.prefix;
  end.push_back('\xff');
  any.set_range_end(end);
  any.set_count_only(true);
  PLACEMENT_TRY(existing, client_->range(any));
  if (existing.count() > 0)
    return fail(Errc::failed_precondition,
                "etcd prefix '" + options_.prefix + "' holds keys but no log format marker: not a placement log");
  if (!options_.create_if_missing) return fail(Errc::not_found, "etcd prefix '" + options_.prefix + "' holds no log");
  // Created once: a second node opening the same empty prefix at the same time loses the compare.
  etcdserverpb::TxnRequest create;
  auto* absent = create.add_compare();
  absent->set_key(format_key);
  absent->set_target(etcdserverpb::Compare::CREATE);
  absent->set_result(etcdserverpb::Compare::EQUAL);
  absent->set_create_revision(0);
  auto* put_format = create.add_success()->mutable_request_put();
  put_format->set_key(format_key);
  put_format->set_value(std::string(kFormatVersion));
  auto* put_id = create.add_success()->mutable_request_put();
  put_id->set_key(key("log-id", ""));
  put_id->set_value(detail::random_id());
  PLACEMENT_TRY(created, client_->txn(create));
  if (!created.succeeded()) return init_or_check_format();  // another node created it: check that one
  spdlog::info("created a new event log in etcd under prefix '{}'", options_.prefix);
  return ok();
}

Status EtcdEventLog::load_head() {
  std::int64_t revision = 0;
  PLACEMENT_TRY(record, get(key("head", ""), &revision));
  Head head{Position{0}, genesis_hash()};
  if (record) {
    auto decoded = detail::decode_head_record(*record);
    if (!decoded) return fail(Errc::data_loss, "the log's head record in etcd is malformed");
    head = *decoded;
  }
  head_revision_ = revision;
  std::lock_guard lock(head_mutex_);
  head_ = std::move(head);
  return ok();
}

Head EtcdEventLog::head() const {
  std::lock_guard lock(head_mutex_);
  return head_;
}

std::optional<std::string> EtcdEventLog::failure() const {
  if (!failed_.load(std::memory_order_acquire)) return std::nullopt;
  std::lock_guard lock(failure_mutex_);
  return failure_;
}

void EtcdEventLog::declare_failed(const std::string& why) {
  {
    std::lock_guard lock(failure_mutex_);
    if (failure_) return;
    failure_ = why;
  }
  failed_.store(true, std::memory_order_release);
  spdlog::error("the etcd log refuses every further append: {}", why);
  if (options_.on_failed) options_.on_failed(why);
}

}  // namespace placement::storage
