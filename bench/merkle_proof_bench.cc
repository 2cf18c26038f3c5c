// merkle_proof_bench: what an inclusion or consistency proof costs on a large log, at the
// storage level. It builds a Merkle tree of --leaves leaves (default 10,000,000) with the log's
// own code (storage::MerkleTree over a RocksDB database laid out as the log's: the merkle family,
// and an events family whose records, as the log's, are a 32-byte hash then the leaf's bytes, of
// ~200 random bytes here; a proof reads a leaf's hash from its record), reopens it (cold block cache, as after a restart), then times --proofs proofs of random
// positions in the full tree and of random sizes into it, each one MultiGet of the O(log n)
// subtree hashes plus their hashing, and reports the median and the 99th percentile. The peer in
// the same run: one RocksDB point Get of a random existing node, the floor a proof's reads stand on.
// Beside each wall-clock figure, the thread's CPU time of the same calls: on a shared machine the
// difference is time spent waiting for a core or a read, not work. The family is opened with the
// log's options (storage::merkle_family_options); --default-options opens it with RocksDB's
// defaults instead (an 8 MB block cache shared with nothing, compressed blocks), for comparison.
//
//   merkle_proof_bench [--leaves N] [--proofs P] [--dir PATH] [--default-options]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "storage/merkle_family_options.h"
#include "storage/merkle_tree.h"

using namespace placement;
using Clock = std::chrono::steady_clock;

namespace {

struct Db {
  std::unique_ptr<rocksdb::DB> db;
  rocksdb::ColumnFamilyHandle* merkle = nullptr;
  rocksdb::ColumnFamilyHandle* events = nullptr;
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  ~Db() {
    for (auto* h : handles) (void)db->DestroyColumnFamilyHandle(h);
  }
};

bool default_options = false;

std::unique_ptr<Db> open_db(const std::string& dir) {
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, {}},
      {"merkle", default_options ? rocksdb::ColumnFamilyOptions() : storage::merkle_family_options()},
      {"meta", {}},
      {"events", {}}};
  auto out = std::make_unique<Db>();
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(options, dir, families, &out->handles, &raw).ok()) {
    std::fprintf(stderr, "cannot open %s\n", dir.c_str());
    std::exit(1);
  }
  out->db.reset(raw);
  out->merkle = out->handles[1];
  out->meta = out->handles[2];
  out->events = out->handles[3];
  return out;
}

double thread_cpu_us() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t leaves = 10'000'000;
  int proofs = 2000;
  std::string dir = (std::filesystem::temp_directory_path() / "merkle-proof-bench").string();
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--default-options") default_options = true;
    else if (i + 1 >= argc) break;
    else if (flag == "--leaves") leaves = std::stoull(argv[++i]);
    else if (flag == "--proofs") proofs = std::stoi(argv[++i]);
    else if (flag == "--dir") dir = argv[++i];
  }
  // The tree's stored nodes cover an even number of leaves (a last unpaired leaf is not stored).
  leaves += leaves % 2;
  std::filesystem::remove_all(dir);
  std::mt19937_64 rng(42);
  {
    auto db = open_db(dir);
    storage::MerkleTree tree;
    if (!tree.open(*db->db, db->merkle, db->events, db->meta)) return 1;
    const auto started = Clock::now();
    std::string leaf(200, '\0');
    while (tree.size() < leaves) {
      auto append = tree.begin_append();
      rocksdb::WriteBatch batch;
      for (int i = 0; i < 100'000 && append.size() < leaves; ++i) {
        for (std::size_t b = 0; b < leaf.size(); b += 8) {
          const std::uint64_t r = rng();
          std::memcpy(leaf.data() + b, &r, std::min<std::size_t>(8, leaf.size() - b));
        }
        batch.Put(db->events, storage::event_key(append.size() + 1), std::string(storage::kHashSize, '\0') + leaf);
        tree.add_leaf(append, leaf, batch);
      }
      if (!db->db->Write(rocksdb::WriteOptions(), &batch).ok()) return 1;
      tree.commit(std::move(append));
    }
    (void)db->db->Flush(rocksdb::FlushOptions(), db->handles);
    std::printf("built a tree of %llu leaves in %.1f s\n", static_cast<unsigned long long>(leaves),
                std::chrono::duration<double>(Clock::now() - started).count());
  }
  auto db = open_db(dir);
  storage::MerkleTree tree;
  if (!tree.open(*db->db, db->merkle, db->events, db->meta) || tree.size() != leaves) return 1;
  std::vector<double> inclusion, consistency, point, inclusion_cpu, consistency_cpu;
  std::size_t hashes = 0;
  for (int i = 0; i < proofs; ++i) {
    const std::uint64_t index = rng() % leaves;
    double c0 = thread_cpu_us();
    auto t0 = Clock::now();
    auto proof = tree.inclusion_proof(index, leaves);
    auto t1 = Clock::now();
    inclusion_cpu.push_back(thread_cpu_us() - c0);
    if (!proof) return 1;
    hashes += proof.value().size();
    inclusion.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    const std::uint64_t old_size = 1 + rng() % leaves;
    c0 = thread_cpu_us();
    t0 = Clock::now();
    auto between = tree.consistency_proof(old_size, leaves);
    t1 = Clock::now();
    consistency_cpu.push_back(thread_cpu_us() - c0);
    if (!between) return 1;
    consistency.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    std::string value;
    const std::string key = storage::merkle_node_key(1, rng() % (leaves / 2));
    t0 = Clock::now();
    (void)db->db->Get(rocksdb::ReadOptions(), db->merkle, key, &value);
    t1 = Clock::now();
    point.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  std::printf("leaves %llu, %d proofs of each kind, %.1f hashes per inclusion proof\n",
              static_cast<unsigned long long>(leaves), proofs, static_cast<double>(hashes) / proofs);
  std::printf("family options: %s\n", default_options ? "RocksDB defaults" : "the log's (merkle_family_options)");
  std::printf("inclusion proof    median %8.1f us   p99 %8.1f us   cpu median %6.1f us  p99 %6.1f us\n",
              percentile(inclusion, 0.5), percentile(inclusion, 0.99), percentile(inclusion_cpu, 0.5),
              percentile(inclusion_cpu, 0.99));
  std::printf("consistency proof  median %8.1f us   p99 %8.1f us   cpu median %6.1f us  p99 %6.1f us\n",
              percentile(consistency, 0.5), percentile(consistency, 0.99), percentile(consistency_cpu, 0.5),
              percentile(consistency_cpu, 0.99));
  std::printf("one point Get      median %8.1f us   p99 %8.1f us   (peer)\n", percentile(point, 0.5),
              percentile(point, 0.99));
  db.reset();
  std::filesystem::remove_all(dir);
  return 0;
}
