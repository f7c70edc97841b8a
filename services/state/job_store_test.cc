// The JobStore contract, run on both backends: SQLite in a temporary
// directory and PostgreSQL in a throwaway cluster (pg_test_cluster.h).
// Several stores on one state stand for several replicas.
#include "services/state/job_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "services/state/pg_test_cluster.h"

namespace novelta {
namespace {

using namespace std::chrono_literals;
using testing_support::PgTestCluster;

PgTestCluster* Cluster() {
  std::string why;
  PgTestCluster* cluster = testing_support::SharedPgCluster(&why);
  EXPECT_NE(cluster, nullptr) << why;
  return cluster;
}

NewJob Job(const std::string& name, const std::string& idem = "") {
  NewJob j;
  j.owner = "alice";
  j.idempotency_key = idem;
  j.request_hash = "hash-" + name;
  j.submission_json = "{\"title\":\"" + name + "\"}";
  j.cutoff = "2024-01-01";
  return j;
}

// A fresh state per test: a new directory, or a new database.
class JobStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    static int n = 0;
    std::string name = "js_" + std::to_string(::getpid()) + "_" + std::to_string(n++);
    if (GetParam() == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / ("novelta_" + name);
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      location_.value = dir_.string();
    } else {
      ASSERT_NE(Cluster(), nullptr);
      auto uri = Cluster()->NewDatabase(name);
      ASSERT_TRUE(uri.ok()) << uri.status().ToString();
      location_ = StateLocation{StateLocation::Kind::kPostgres, *uri};
    }
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  // A replica on this state.
  std::unique_ptr<JobStore> Open(double lease_seconds = 30, const std::string& replica = "") {
    JobStoreOptions o;
    o.lease_seconds = lease_seconds;
    o.replica_id = replica;
    auto s = OpenJobStore(location_, o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  std::filesystem::path dir_;
  StateLocation location_;
};

TEST_P(JobStoreTest, InsertGetListDeleteAndCounts) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto ids = store->Insert({Job("a"), Job("b"), Job("c")}, 100);
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  ASSERT_EQ(ids->size(), 3u);
  auto got = store->Get((*ids)[1].id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->submission_json, "{\"title\":\"b\"}");
  EXPECT_EQ(got->status, JobStatus::kQueued);
  EXPECT_EQ(got->cutoff, "2024-01-01");
  EXPECT_EQ(*store->CountQueued(), 3);
  EXPECT_EQ(*store->QueuedAhead(got->seq), 1);
  auto list = store->List(std::string("alice"), std::nullopt, 0, 2);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, (*ids)[2].id);  // newest first
  auto next = store->List(std::string("alice"), std::nullopt, (*list)[1].seq, 2);
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ((*next)[0].id, (*ids)[0].id);
  EXPECT_TRUE(store->List(std::string("bob"), std::nullopt, 0, 10)->empty());
  EXPECT_TRUE(store->Delete((*ids)[0].id).ok());
  EXPECT_EQ(store->Delete((*ids)[0].id).code(), Status::Code::kNotFound);
  EXPECT_EQ(store->Get((*ids)[0].id).status().code(), Status::Code::kNotFound);
  auto counts = store->CountByStatus();
  EXPECT_EQ((*counts)["queued"], 2);
  EXPECT_EQ((*counts)["done"], 0);
  EXPECT_TRUE(store->Ping().ok());
}

TEST_P(JobStoreTest, IdempotencyKeysAndTheQueueBoundHoldAcrossReplicas) {
  auto a = Open(), b = Open();
  ASSERT_TRUE(a && b);
  auto first = a->Insert({Job("x", "key-1")}, 2);
  ASSERT_TRUE(first.ok());
  auto replay = b->Insert({Job("x", "key-1")}, 2);
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE((*replay)[0].replayed);
  EXPECT_EQ((*replay)[0].id, (*first)[0].id);
  EXPECT_EQ(b->Insert({Job("other", "key-1")}, 2).status().code(), Status::Code::kAlreadyExists);
  ASSERT_TRUE(b->Insert({Job("y")}, 2).ok());
  // Full: nothing of the batch goes in.
  auto full = a->Insert({Job("z1"), Job("z2")}, 2);
  EXPECT_EQ(full.status().code(), Status::Code::kResourceExhausted);
  EXPECT_EQ(*a->CountQueued(), 2);
}

TEST_P(JobStoreTest, ConcurrentInsertsOfOneIdempotencyKeyMakeOneJob) {
  std::vector<std::unique_ptr<JobStore>> replicas;
  for (int i = 0; i < 3; ++i) replicas.push_back(Open());
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<std::string> ids;
  std::atomic<int> errors{0};
  for (int t = 0; t < 9; ++t) {
    threads.emplace_back([&, t] {
      auto r = replicas[t % 3]->Insert({Job("same", "race")}, 100);
      if (!r.ok()) {
        ++errors;
        ADD_FAILURE() << r.status().ToString();
        return;
      }
      std::lock_guard<std::mutex> lock(mu);
      ids.insert((*r)[0].id);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(*replicas[0]->CountQueued(), 1);
}

TEST_P(JobStoreTest, AnOutcomeIsRecordedOnceForTheAttemptThatHoldsTheJob) {
  auto store = Open();
  auto ids = store->Insert({Job("a")}, 10);
  auto claimed = store->ClaimNext();
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  const JobRecord& job = **claimed;
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(job.lease_owner, store->replica_id());
  EXPECT_GT(job.lease_expires_us, job.started_us);
  EXPECT_FALSE(store->ClaimNext()->has_value());
  ASSERT_TRUE(store->Finish(job.id, 1, "{\"r\":1}").ok());
  ASSERT_TRUE(store->Finish(job.id, 1, "{\"r\":2}").ok());  // no effect
  ASSERT_TRUE(store->Fail(job.id, 1, "late").ok());          // no effect
  auto got = store->Get(job.id);
  EXPECT_EQ(got->status, JobStatus::kDone);
  EXPECT_EQ(got->report_json, "{\"r\":1}");
  EXPECT_EQ(got->lease_owner, "");
  auto settled = store->Settled({job.id, "asm_gone"});
  ASSERT_TRUE(settled.ok());
  EXPECT_EQ(settled->size(), 2u);
}

TEST_P(JobStoreTest, AReplicaThatStopsRenewingLosesItsJobToAnother) {
  auto a = Open(2, "replica-a"), b = Open(2, "replica-b");
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->Insert({Job("a")}, 10).ok());
  auto held = a->ClaimNext();
  ASSERT_TRUE(held.ok() && held->has_value());
  // Renewed: not taken over past the first lease.
  auto until = std::chrono::steady_clock::now() + 2500ms;
  while (std::chrono::steady_clock::now() < until) {
    EXPECT_EQ(*a->RenewLeases(), 1);
    EXPECT_FALSE(b->ClaimNext()->has_value());
    std::this_thread::sleep_for(300ms);
  }
  // No more renewals (the replica died): the lease runs out, b takes the job.
  auto t0 = std::chrono::steady_clock::now();
  std::optional<JobRecord> taken;
  while (!taken && std::chrono::steady_clock::now() - t0 < 10s) {
    auto c = b->ClaimNext();
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    if (c->has_value()) taken = **c;
    else std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(taken.has_value());
  EXPECT_LE(std::chrono::steady_clock::now() - t0, 5s);  // the lease, and slack for a loaded machine
  EXPECT_EQ(taken->id, (*held)->id);
  EXPECT_EQ(taken->attempts, 2);
  EXPECT_EQ(taken->lease_owner, "replica-b");
  // The first replica's late outcome is not recorded; the second's is.
  ASSERT_TRUE(a->Finish(taken->id, 1, "{\"from\":\"a\"}").ok());
  EXPECT_EQ(a->RenewLeases().value(), 0);
  ASSERT_TRUE(b->Finish(taken->id, 2, "{\"from\":\"b\"}").ok());
  EXPECT_EQ(b->Get(taken->id)->report_json, "{\"from\":\"b\"}");
}

TEST_P(JobStoreTest, ReplicasClaimingTogetherNeverShareAJob) {
  constexpr int kJobs = 240;
  auto seed = Open();
  for (int i = 0; i < kJobs; i += 40) {
    std::vector<NewJob> batch;
    for (int k = 0; k < 40; ++k) batch.push_back(Job("j" + std::to_string(i + k)));
    ASSERT_TRUE(seed->Insert(batch, 100000).ok());
  }
  std::vector<std::unique_ptr<JobStore>> replicas;
  for (int i = 0; i < 3; ++i) replicas.push_back(Open());
  std::mutex mu;
  std::multiset<std::string> claimed;
  std::vector<std::thread> threads;
  for (int t = 0; t < 9; ++t) {
    threads.emplace_back([&, t] {
      JobStore* store = replicas[t % 3].get();
      for (;;) {
        auto c = store->ClaimNext();
        if (!c.ok()) {
          ADD_FAILURE() << c.status().ToString();
          return;
        }
        if (!c->has_value()) return;
        {
          std::lock_guard<std::mutex> lock(mu);
          claimed.insert((*c)->id);
        }
        EXPECT_TRUE(store->Finish((*c)->id, (*c)->attempts, "{}").ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(seed->CountByStatus()->at("done"), kJobs);
}

TEST_P(JobStoreTest, RequeuedJobsRunAgain) {
  auto store = Open();
  ASSERT_TRUE(store->Insert({Job("a")}, 10).ok());
  auto c = store->ClaimNext();
  ASSERT_TRUE(store->Requeue((*c)->id, 1).ok());
  EXPECT_EQ(*store->CountQueued(), 1);
  auto again = store->ClaimNext();
  ASSERT_TRUE(again->has_value());
  EXPECT_EQ((*again)->attempts, 2);
}

TEST_P(JobStoreTest, ReplicasStartingTogetherMigrateOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      auto s = OpenJobStore(location_);
      if (s.ok()) ++ok;
      else ADD_FAILURE() << s.status().ToString();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 6);
  auto store = Open();
  ASSERT_TRUE(store->Insert({Job("a")}, 10).ok());
  if (GetParam() == "postgresql") {
    std::string db = location_.value.substr(location_.value.rfind('/') + 1);
    EXPECT_EQ(Cluster()->Value("SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations", db),
              "1,2,3");
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, JobStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace novelta
