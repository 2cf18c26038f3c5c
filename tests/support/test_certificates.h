#pragma once
// Throw-away certificates made by the openssl command at test time, in a folder the caller owns:
// a CA, a server certificate for 127.0.0.1 and a client certificate it signed. EC P-256 keys:
// quick to make. problems() is empty when every openssl run succeeded.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/program_runner.h"

namespace placement::testing {

class TestCertificates {
 public:
  explicit TestCertificates(std::filesystem::path dir) : dir_(std::move(dir)) {
    make_ca("ca");
    make_signed("server", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    make_signed("client", "extendedKeyUsage=clientAuth\n");
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  const std::string& problems() const { return problems_; }

 private:
  void openssl(const std::vector<std::string>& args) {
    auto result = run_program("/usr/bin/openssl", args);
    if (result.exit_code != 0) problems_ += "openssl " + args.front() + ": " + result.err + "\n";
  }
  void make_ca(const std::string& name) {
    openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
             path(name + ".key"), "-out", path(name + ".pem"), "-days", "2", "-subj", "/CN=placement test " + name});
  }
  void make_signed(const std::string& name, const std::string& extensions) {
    std::ofstream(dir_ / (name + ".ext")) << extensions;
    openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path(name + ".key"),
             "-out", path(name + ".csr"), "-subj", "/CN=placement test " + name});
    openssl({"x509", "-req", "-in", path(name + ".csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"), "-set_serial",
             std::to_string(++serial_), "-days", "2", "-extfile", path(name + ".ext"), "-out", path(name + ".pem")});
  }

  std::filesystem::path dir_;
  std::string problems_;
  int serial_ = 1;
};

}  // namespace placement::testing
