// What is particular to each backend: SQLite's take-over of a dead process's
// jobs and its migration of databases made before leases; PostgreSQL's
// outage and recovery; the state location; API keys on PostgreSQL.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "services/state/job_store.h"
#include "services/state/key_table.h"
#include "services/state/pg_test_cluster.h"

namespace novelta {
namespace {

using testing_support::PgTestCluster;

std::filesystem::path FreshDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("novelta_state_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

NewJob Job(const std::string& name) {
  NewJob j;
  j.owner = "alice";
  j.request_hash = name;
  j.submission_json = "{}";
  return j;
}

TEST(StateLocationTest, DirectoriesPostgresUrisAndUnknownSchemes) {
  auto dir = ParseStateLocation("/var/lib/novelta/state");
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(dir->kind, StateLocation::Kind::kDirectory);
  auto pg = ParseStateLocation("postgresql://novelta:s3cret@db:5432/novelta");
  ASSERT_TRUE(pg.ok());
  EXPECT_EQ(pg->kind, StateLocation::Kind::kPostgres);
  EXPECT_EQ(pg->Display(), "postgresql://novelta:***@db:5432/novelta");
  EXPECT_EQ(ParseStateLocation("postgres://db/x")->kind, StateLocation::Kind::kPostgres);
  EXPECT_EQ(ParseStateLocation("POSTGRESQL://db/x")->kind, StateLocation::Kind::kPostgres);
  EXPECT_EQ(ParseStateLocation("postgresql://u@db/x")->Display(), "postgresql://u@db/x");
  auto mysql = ParseStateLocation("mysql://db/x");
  EXPECT_EQ(mysql.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(mysql.status().message().find("unknown state URI scheme 'mysql://'"), std::string::npos);
  EXPECT_EQ(ParseStateLocation("sqlite:///tmp/x").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(ParseStateLocation("").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(ParseStateLocation("./state:2")->kind, StateLocation::Kind::kDirectory);
}

TEST(SqliteStateTest, JobsOfADeadProcessAreTakenOverAtOnceAndALiveOnesAreNot) {
  auto dir = FreshDir("dead");
  StateLocation loc{StateLocation::Kind::kDirectory, dir.string()};
  JobStoreOptions slow;
  slow.lease_seconds = 600;  // only the lock files can explain a take-over within the test
  auto live = OpenJobStore(loc, slow);
  auto doomed = OpenJobStore(loc, slow);
  ASSERT_TRUE(live.ok() && doomed.ok());
  ASSERT_TRUE((*live)->Insert({Job("a"), Job("b")}, 10).ok());
  auto held_by_live = (*live)->ClaimNext();
  auto held_by_doomed = (*doomed)->ClaimNext();
  ASSERT_TRUE(held_by_live->has_value() && held_by_doomed->has_value());
  // The process holding the second job dies: its lock file is released
  // (closing the store releases it as the kernel does for a killed process).
  doomed->reset();
  auto other = OpenJobStore(loc, slow);
  ASSERT_TRUE(other.ok());
  auto taken = (*other)->ClaimNext();
  ASSERT_TRUE(taken.ok() && taken->has_value());
  EXPECT_EQ((*taken)->id, (*held_by_doomed)->id);
  EXPECT_EQ((*taken)->attempts, 2);
  // The live process keeps its job.
  EXPECT_FALSE((*other)->ClaimNext()->has_value());
  EXPECT_EQ((*other)->Get((*held_by_live)->id)->lease_owner, (*live)->replica_id());
  std::filesystem::remove_all(dir);
}

TEST(SqliteStateTest, ADatabaseFromBeforeLeasesIsMigratedAndItsRunningJobRunsAgain) {
  auto dir = FreshDir("old");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "novelta.db").c_str(), &db), SQLITE_OK);
  const char* old_schema =
      "CREATE TABLE jobs(seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, status TEXT NOT NULL, "
      "owner TEXT NOT NULL, idempotency_key TEXT, request_hash TEXT NOT NULL, submission TEXT NOT NULL, "
      "top_k INTEGER NOT NULL, cutoff TEXT NOT NULL, report TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0, "
      "created_us INTEGER NOT NULL, started_us INTEGER NOT NULL DEFAULT 0, finished_us INTEGER NOT NULL DEFAULT 0);"
      "CREATE TABLE api_keys(name TEXT PRIMARY KEY, key_sha256 TEXT NOT NULL UNIQUE, scope TEXT NOT NULL, "
      "created_us INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);"
      "INSERT INTO jobs(id, status, owner, request_hash, submission, top_k, cutoff, attempts, created_us) "
      "VALUES('asm_old', 'running', 'alice', 'h', '{}', 20, '', 1, 1);";
  ASSERT_EQ(sqlite3_exec(db, old_schema, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = OpenJobStore(StateLocation{StateLocation::Kind::kDirectory, dir.string()});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto job = (*store)->ClaimNext();
  ASSERT_TRUE(job.ok() && job->has_value());
  EXPECT_EQ((*job)->id, "asm_old");
  EXPECT_EQ((*job)->attempts, 2);
  std::filesystem::remove_all(dir);
}

class PgStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    cluster_ = testing_support::SharedPgCluster(&why);
    ASSERT_NE(cluster_, nullptr) << why;
  }
  PgTestCluster* cluster_ = nullptr;
};

TEST_F(PgStateTest, AnOutageIsUnavailableAndTheStoreRecoversWhenTheServerIsBack) {
  StateLocation loc{StateLocation::Kind::kPostgres, cluster_->Uri()};
  auto store = OpenJobStore(loc);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto ids = (*store)->Insert({Job("a")}, 10);
  ASSERT_TRUE(ids.ok());
  cluster_->Halt();
  Status down = (*store)->Ping();
  EXPECT_EQ(down.code(), Status::Code::kFailedPrecondition) << down.ToString();
  EXPECT_NE(down.message().find("database unavailable"), std::string::npos) << down.ToString();
  EXPECT_EQ((*store)->Get((*ids)[0].id).status().code(), Status::Code::kFailedPrecondition);
  ASSERT_TRUE(cluster_->Resume().ok());
  EXPECT_TRUE((*store)->Ping().ok());
  auto job = (*store)->Get((*ids)[0].id);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->status, JobStatus::kQueued);
}

TEST_F(PgStateTest, AServerThatCannotBeReachedIsARefusalNamingIt) {
  StateLocation loc{StateLocation::Kind::kPostgres, "postgresql://novelta:pw@127.0.0.1:1/none"};
  auto store = OpenJobStore(loc);
  EXPECT_EQ(store.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("postgresql://novelta:***@127.0.0.1:1/none"), std::string::npos)
      << store.status().ToString();
  EXPECT_EQ(store.status().message().find(":pw@"), std::string::npos);
}

TEST_F(PgStateTest, KeysAreSharedByEveryReplica) {
  auto uri = cluster_->NewDatabase("keys_shared");
  ASSERT_TRUE(uri.ok());
  StateLocation loc{StateLocation::Kind::kPostgres, *uri};
  auto a = OpenKeyTable(loc), b = OpenKeyTable(loc);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->Insert(ApiKeyInfo{"ci", Scope::kWrite, 1}, "ab12").ok());
  EXPECT_EQ((*b)->Insert(ApiKeyInfo{"ci", Scope::kRead, 2}, "cd34").code(), Status::Code::kAlreadyExists);
  auto found = (*b)->FindByHash("ab12");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->info.scope, Scope::kWrite);
  EXPECT_TRUE(*(*b)->Revoke("ci"));
  EXPECT_FALSE((*a)->FindByHash("ab12")->has_value());
  EXPECT_FALSE(*(*a)->Revoke("nobody"));
  ASSERT_TRUE((*a)->Upsert(ApiKeyInfo{"ci", Scope::kAdmin, 3}, "ef56").ok());
  ASSERT_EQ((*b)->List()->size(), 1u);
  EXPECT_EQ((*b)->List()->front().scope, Scope::kAdmin);
}

}  // namespace
}  // namespace novelta
