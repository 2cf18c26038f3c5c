#pragma once
// RFC 6962 section 2.1 written as the RFC states it, recursively over a list of leaves, with its
// own SHA-256 calls: the reference the stored tree and the proof code are compared against.

#include <openssl/sha.h>

#include <bit>
#include <string>
#include <vector>

namespace placement::testing::rfc6962 {

inline std::string sha256(const std::string& bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), SHA256_DIGEST_LENGTH);
}

using Leaves = std::vector<std::string>;

inline Leaves slice(const Leaves& d, std::size_t begin, std::size_t end) {
  return Leaves(d.begin() + static_cast<std::ptrdiff_t>(begin), d.begin() + static_cast<std::ptrdiff_t>(end));
}

// The largest power of two smaller than n.
inline std::size_t k_of(std::size_t n) {
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// MTH(D[n]).
inline std::string mth(const Leaves& d) {
  if (d.empty()) return sha256("");
  if (d.size() == 1) return sha256(std::string(1, '\0') + d[0]);
  const std::size_t k = k_of(d.size());
  return sha256(std::string(1, '\1') + mth(slice(d, 0, k)) + mth(slice(d, k, d.size())));
}

// PATH(m, D[n]).
inline std::vector<std::string> path(std::size_t m, const Leaves& d) {
  if (d.size() <= 1) return {};
  const std::size_t k = k_of(d.size());
  std::vector<std::string> out;
  if (m < k) {
    out = path(m, slice(d, 0, k));
    out.push_back(mth(slice(d, k, d.size())));
  } else {
    out = path(m - k, slice(d, k, d.size()));
    out.push_back(mth(slice(d, 0, k)));
  }
  return out;
}

// SUBPROOF(m, D[n], b).
inline std::vector<std::string> subproof(std::size_t m, const Leaves& d, bool b) {
  if (m == d.size()) return b ? std::vector<std::string>{} : std::vector<std::string>{mth(d)};
  const std::size_t k = k_of(d.size());
  std::vector<std::string> out;
  if (m <= k) {
    out = subproof(m, slice(d, 0, k), b);
    out.push_back(mth(slice(d, k, d.size())));
  } else {
    out = subproof(m - k, slice(d, k, d.size()), false);
    out.push_back(mth(slice(d, 0, k)));
  }
  return out;
}

// PROOF(m, D[n]).
inline std::vector<std::string> proof(std::size_t m, const Leaves& d) { return subproof(m, d, true); }

inline std::string leaf_hash(const std::string& leaf) { return sha256(std::string(1, '\0') + leaf); }

}  // namespace placement::testing::rfc6962
