// The etcd log over TLS to a real etcd member that asks for client certificates
// (--client-cert-auth): with the CA and this node's certificate it appends; without the client
// certificate, or trusting another CA, it cannot open.

#include <gtest/gtest.h>

#include "storage/etcd_event_log.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/event_log_requests.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_certificates.h"

namespace placement::storage {
namespace {

using namespace std::chrono_literals;

TEST(EtcdLogTls, WithTheCaAndAClientCertificateTheLogAppendsAndWithoutThemItCannotOpen) {
  testing::TempDir dir;
  testing::TestCertificates certificates(dir.path());
  ASSERT_EQ(certificates.problems(), "");
  testing::EtcdClusterOptions cluster_options;
  cluster_options.tls =
      testing::EtcdTls{certificates.path("ca.pem"), certificates.path("server.pem"), certificates.path("server.key"),
                       certificates.path("client.pem"), certificates.path("client.key")};
  std::string error;
  auto cluster = testing::EtcdCluster::start(cluster_options, &error);
  ASSERT_NE(cluster, nullptr) << error;

  EtcdConnection connection;
  connection.endpoints = cluster->client_addresses();
  connection.call_timeout = 2s;
  connection.ca_file = certificates.path("ca.pem");
  connection.cert_file = certificates.path("client.pem");
  connection.key_file = certificates.path("client.key");
  auto log = EtcdEventLog::open(connection);
  ASSERT_TRUE(log) << log.error().message;
  ASSERT_TRUE(testing::append_one(*log.value(), testing::request("c1", "s", ExpectedVersion::any(), 2)));
  EXPECT_EQ(log.value()->read_forward(Position{1}, 10).value().size(), 2u);

  EtcdConnection no_client_certificate = connection;
  no_client_certificate.cert_file.clear();
  no_client_certificate.key_file.clear();
  auto refused = EtcdEventLog::open(no_client_certificate);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::unavailable) << refused.error().message;

  EtcdConnection plaintext = connection;
  plaintext.ca_file.clear();
  plaintext.cert_file.clear();
  plaintext.key_file.clear();
  auto plain = EtcdEventLog::open(plaintext);
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().code, Errc::unavailable) << plain.error().message;

  EtcdConnection half = connection;
  half.key_file.clear();
  auto incomplete = EtcdEventLog::open(half);
  ASSERT_FALSE(incomplete);
  EXPECT_EQ(incomplete.error().code, Errc::invalid_argument) << incomplete.error().message;
}

}  // namespace
}  // namespace placement::storage
