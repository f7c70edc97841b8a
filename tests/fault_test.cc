// Faults the index and the service state must survive: `novelta index build`
// killed with SIGKILL at any point of its run, damaged index files, a full
// disk and a read-only state directory. In every case the outcome is either
// the complete old index, the complete new one, or a clear error — never a
// half-written index that loads.
//
// A full disk under the service's state is a clear ResourceExhausted from the
// job store ("storage full", naming the file) and a 503 problem from the REST
// API, never a generic 500; the store is usable again once space is freed.
//
// The full-disk and read-only cases mount a small tmpfs; they are skipped
// where mounting is not allowed (not root, or in a container without the
// capability).
#include <gtest/gtest.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <random>
#include <thread>

#include "base/env.h"
#include "base/hash.h"
#include "index/index_builder.h"
#include "index/paper_index.h"
#include "index/test_index_util.h"
#include "services/api_keys.h"
#include "services/job_runner.h"
#include "services/state/job_store.h"
#include "services/metrics.h"
#include "services/service.h"

namespace novelta {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

fs::path TempPath(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("novelta_fault_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

// A synthetic corpus big enough that an index build takes a noticeable time,
// so kills land in every phase (reading, training, embedding, writing, swap).
std::string WriteSyntheticCorpus(const fs::path& path, int papers, unsigned seed) {
  static const char* kWords[] = {"graph", "neural", "network", "transformer", "molecule", "diffusion",
                                 "sampling", "retrieval", "sparse", "attention", "kernel", "bound",
                                 "privacy", "federated", "policy", "gradient", "robust", "benchmark",
                                 "contrastive", "pretraining", "quantization", "theorem", "convex",
                                 "language", "vision", "protein", "causal", "bayesian", "spectral"};
  std::mt19937 rng(seed);
  std::ofstream out(path);
  for (int i = 0; i < papers; ++i) {
    std::string title, abstract;
    for (int w = 0; w < 6; ++w) title += std::string(w ? " " : "") + kWords[rng() % std::size(kWords)];
    for (int w = 0; w < 80; ++w) {
      abstract += kWords[rng() % std::size(kWords)];
      abstract += (w % 12 == 11) ? ". " : " ";
    }
    Json j = {{"id", "syn-" + std::to_string(seed) + "-" + std::to_string(i)},
              {"title", title},
              {"abstract", abstract},
              {"year", 2000 + static_cast<int>(rng() % 25)}};
    out << DumpJson(j) << "\n";
  }
  return path.string();
}

// Runs `novelta index build` as a child; returns its pid.
pid_t StartIndexBuild(const std::string& corpus, const std::string& out) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    ::execl(NOVELTA_BINARY, NOVELTA_BINARY, "index", "build", "--quiet", "--corpus", corpus.c_str(), "--out",
            out.c_str(), "--vocab-size", "300", "--dimensions", "16", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

int WaitExit(pid_t pid) {
  int st = 0;
  ::waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
}

// What a directory holds as far as PaperIndex::Open can tell.
struct Loaded {
  bool ok = false;
  size_t papers = 0;
  std::string error;
};

Loaded TryOpen(const std::string& dir) {
  Loaded l;
  auto idx = PaperIndex::Open(dir);
  if (!idx.ok()) {
    l.error = idx.status().ToString();
    return l;
  }
  l.ok = true;
  l.papers = (*idx)->size();
  // A loaded index must be internally whole: every row readable.
  for (size_t row = 0; row < l.papers; row += std::max<size_t>(1, l.papers / 50)) {
    auto p = (*idx)->Paper(static_cast<int64_t>(row));
    if (!p.ok()) {
      l.ok = false;
      l.error = "row " + std::to_string(row) + ": " + p.status().ToString();
    }
  }
  return l;
}

TEST(FaultTest, IndexBuildKilledAtAnyPointNeverLeavesAHalfWrittenIndex) {
  fs::path dir = TempPath("kill");
  fs::create_directories(dir);
  const int kOldPapers = 150, kNewPapers = 800;
  std::string old_corpus = WriteSyntheticCorpus(dir / "old.jsonl", kOldPapers, 1);
  std::string new_corpus = WriteSyntheticCorpus(dir / "new.jsonl", kNewPapers, 2);
  std::string target = (dir / "index").string();

  // A complete old index, and the time a complete new build takes.
  ASSERT_EQ(WaitExit(StartIndexBuild(old_corpus, target)), 0);
  ASSERT_EQ(TryOpen(target).papers, static_cast<size_t>(kOldPapers));
  std::string scratch = (dir / "timing").string();
  auto t0 = Clock::now();
  ASSERT_EQ(WaitExit(StartIndexBuild(new_corpus, scratch)), 0);
  auto build_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  fs::remove_all(scratch);

  // Kill the rebuild at spread-out moments of its run, including very late
  // (writing the store, the manifest, the swap).
  // A build that finishes before its kill means the machine sped up since the
  // timing run (other tests ended): it counts as a swap, and the remaining
  // kills are spread over a shorter estimate.
  const int kKills = 6;
  int saw_old = 0, saw_new = 0, killed = 0;
  for (int k = 0, attempts = 0; k < kKills && attempts < 4 * kKills; ++attempts) {
    long delay_ms = build_ms * (k + 1) / (kKills + 1);
    pid_t pid = StartIndexBuild(new_corpus, target);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(pid, SIGKILL);
    int rc = WaitExit(pid);
    if (rc == -SIGKILL) {
      ++killed;
      ++k;
    } else {
      build_ms = std::max<long>(1, build_ms * 2 / 3);
    }
    Loaded l = TryOpen(target);
    // Either index, whole — or, if the kill fell between the two renames of
    // the swap, no index and a clear NotFound; never a partial one.
    if (l.ok) {
      EXPECT_TRUE(l.papers == static_cast<size_t>(kOldPapers) || l.papers == static_cast<size_t>(kNewPapers))
          << "kill " << k << " after " << delay_ms << " ms: an index of " << l.papers << " papers loaded";
      (l.papers == static_cast<size_t>(kOldPapers) ? saw_old : saw_new)++;
    } else {
      EXPECT_NE(l.error.find("NotFound"), std::string::npos) << "kill " << k << ": " << l.error;
    }
    // Leftover staging directories are never mistaken for the index.
    for (const auto& e : fs::directory_iterator(dir)) {
      std::string name = e.path().filename().string();
      if (name.rfind("index.staging-", 0) == 0 && !fs::exists(e.path() / "manifest.json")) {
        EXPECT_FALSE(TryOpen(e.path().string()).ok) << "an unfinished staging directory loaded: " << name;
      }
    }
  }
  EXPECT_EQ(killed, kKills) << "every kill should land mid-build";
  EXPECT_GT(saw_old + saw_new, 0);
  // A later complete build replaces whatever the kills left.
  ASSERT_EQ(WaitExit(StartIndexBuild(new_corpus, target)), 0);
  EXPECT_EQ(TryOpen(target).papers, static_cast<size_t>(kNewPapers));
  fs::remove_all(dir);
}

TEST(FaultTest, DamagedIndexFilesAreRefusedByChecksum) {
  fs::path dir = TempPath("damage");
  auto built = BuildIndex(testing::FixtureCorpusPath(), dir.string(), testing::SmallIndexOptions());
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  ASSERT_TRUE(TryOpen(dir.string()).ok);
  for (const char* file : {"tokenizer.model", "embedder.bin", "vectors.faiss", "papers.db"}) {
    fs::path copy = TempPath(std::string("damage_") + file);
    fs::copy(dir, copy, fs::copy_options::recursive);
    // Flip one byte in the middle of the file: same size, different content.
    fs::path victim = copy / file;
    std::fstream f(victim, std::ios::in | std::ios::out | std::ios::binary);
    auto size = fs::file_size(victim);
    f.seekg(size / 2);
    char c = 0;
    f.get(c);
    f.seekp(size / 2);
    f.put(static_cast<char>(c ^ 0x5a));
    f.close();
    auto idx = PaperIndex::Open(copy.string());
    ASSERT_FALSE(idx.ok()) << file;
    EXPECT_TRUE(idx.status().IsCorruption()) << idx.status().ToString();
    EXPECT_NE(idx.status().message().find(file), std::string::npos) << idx.status().ToString();
    EXPECT_NE(idx.status().message().find("checksum mismatch"), std::string::npos);
    // A truncated file (a crash mid-write without the staging swap) too.
    fs::resize_file(victim, size / 3);
    idx = PaperIndex::Open(copy.string());
    ASSERT_FALSE(idx.ok());
    EXPECT_TRUE(idx.status().IsCorruption()) << idx.status().ToString();
    fs::remove_all(copy);
  }
  // No manifest: the build did not finish.
  fs::remove(dir / "manifest.json");
  auto idx = PaperIndex::Open(dir.string());
  ASSERT_FALSE(idx.ok());
  EXPECT_NE(idx.status().message().find("no manifest.json"), std::string::npos);
  fs::remove_all(dir);
}

// A small tmpfs mounted for one test, unmounted at the end.
class ScopedTmpfs {
 public:
  ScopedTmpfs(const fs::path& dir, const std::string& options) : dir_(dir) {
    fs::create_directories(dir);
    mounted_ = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, options.c_str()) == 0;
  }
  ~ScopedTmpfs() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    fs::remove_all(dir_);
  }
  bool mounted() const { return mounted_; }
  bool Remount(unsigned long flags, const std::string& options) {
    return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | flags, options.c_str()) == 0;
  }

 private:
  fs::path dir_;
  bool mounted_ = false;
};

TEST(FaultTest, IndexBuildOnAFullDiskFailsClearlyAndKeepsTheOldIndex) {
  fs::path mnt = TempPath("fulldisk");
  ScopedTmpfs tmpfs(mnt, "size=1m");
  if (!tmpfs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  fs::path work = TempPath("fulldisk_corpus");
  fs::create_directories(work);
  std::string target = (mnt / "index").string();
  // The old index fits; the new corpus's does not.
  ASSERT_EQ(WaitExit(StartIndexBuild(WriteSyntheticCorpus(work / "small.jsonl", 60, 3), target)), 0);
  ASSERT_TRUE(TryOpen(target).ok);
  std::string big = WriteSyntheticCorpus(work / "big.jsonl", 4000, 4);

  auto built = BuildIndex(big, target, testing::SmallIndexOptions());
  ASSERT_FALSE(built.ok());
  std::string msg = built.status().ToString();
  EXPECT_NE(msg.find(mnt.string()), std::string::npos) << "the error names the path: " << msg;
  EXPECT_TRUE(msg.find("No space left") != std::string::npos || msg.find("disk is full") != std::string::npos ||
              msg.find("full") != std::string::npos)
      << "the error says the disk is full: " << msg;
  Loaded l = TryOpen(target);
  EXPECT_TRUE(l.ok) << l.error;
  EXPECT_EQ(l.papers, 60u);
  // The failed build cleaned up its staging directory, freeing the space.
  for (const auto& e : fs::directory_iterator(mnt)) {
    EXPECT_EQ(e.path().filename().string().find(".staging-"), std::string::npos) << e.path();
  }
  fs::remove_all(work);
}

NewJob TestJob(int i) {
  NewJob j;
  j.owner = "alice";
  j.request_hash = Sha256Hex("job" + std::to_string(i));
  Submission s;
  s.title = "Paper " + std::to_string(i);
  s.abstract = std::string(2000, 'a' + i % 26);
  j.submission_json = DumpJson(ToJson(s));
  return j;
}

TEST(FaultTest, JobStoreOnAFullDiskRefusesClearlyAndLosesNothing) {
  fs::path mnt = TempPath("fullstate");
  ScopedTmpfs tmpfs(mnt, "size=1m");
  if (!tmpfs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  std::vector<std::string> accepted;
  Status refused;
  {
    auto store = OpenJobStore(StateLocation{StateLocation::Kind::kDirectory, mnt.string()});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (int i = 0; i < 5000 && refused.ok(); ++i) {
      auto ins = (*store)->Insert({TestJob(i)}, 100000);
      if (ins.ok()) {
        accepted.push_back((*ins)[0].id);
      } else {
        refused = ins.status();
      }
    }
  }
  ASSERT_FALSE(refused.ok()) << "1 MiB should fill up";
  EXPECT_EQ(refused.code(), Status::Code::kResourceExhausted) << refused.ToString();
  EXPECT_NE(refused.message().find("storage full"), std::string::npos) << refused.ToString();
  EXPECT_NE(refused.message().find((mnt / "novelta.db").string()), std::string::npos) << refused.ToString();
  ASSERT_GT(accepted.size(), 10u);
  // Reopen (as after a restart): every accepted job is there, queued, intact.
  auto store = OpenJobStore(StateLocation{StateLocation::Kind::kDirectory, mnt.string()});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  for (size_t i = 0; i < accepted.size(); ++i) {
    auto job = (*store)->Get(accepted[i]);
    ASSERT_TRUE(job.ok()) << accepted[i] << ": " << job.status().ToString();
    EXPECT_EQ(job->status, JobStatus::kQueued);
    auto sub = ParseJson(job->submission_json, "stored submission");
    ASSERT_TRUE(sub.ok());
    EXPECT_EQ((*sub)["title"], "Paper " + std::to_string(i));
  }
  EXPECT_EQ((*store)->CountQueued().value(), static_cast<int64_t>(accepted.size()));
}

TEST(FaultTest, ReadOnlyStateDirectoryIsAClearErrorAtStart) {
  fs::path mnt = TempPath("rostate");
  ScopedTmpfs tmpfs(mnt, "size=1m");
  if (!tmpfs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  ASSERT_TRUE(tmpfs.Remount(MS_RDONLY, "size=1m"));
  ServiceConfig config;
  config.state_dir = (mnt / "state").string();
  auto assessor = OpenAssessor(testing::FixtureIndexDir());
  ASSERT_TRUE(assessor.ok()) << assessor.status().ToString();
  std::shared_ptr<const Assessor> shared(std::move(*assessor));
  auto service = NoveltyService::Open(config, shared);
  ASSERT_FALSE(service.ok());
  EXPECT_NE(service.status().message().find(config.state_dir), std::string::npos) << service.status().ToString();
  EXPECT_NE(service.status().message().find("Read-only"), std::string::npos) << service.status().ToString();

  // An existing state directory made read-only afterwards: still an error
  // from the job store at start, and the data stays as it was.
  ASSERT_TRUE(tmpfs.Remount(0, "size=1m"));
  ASSERT_TRUE(Env::Default()->CreateDirs(config.state_dir).ok());
  {
    auto store = OpenJobStore(StateLocation{StateLocation::Kind::kDirectory, config.state_dir});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->Insert({TestJob(1)}, 10).ok());
  }
  ASSERT_TRUE(tmpfs.Remount(MS_RDONLY, "size=1m"));
  service = NoveltyService::Open(config, shared);
  ASSERT_FALSE(service.ok());
  EXPECT_NE(service.status().message().find("job store"), std::string::npos) << service.status().ToString();
  EXPECT_NE(service.status().message().find("state directory " + config.state_dir + " is read-only"),
            std::string::npos)
      << service.status().ToString();
  ASSERT_TRUE(tmpfs.Remount(0, "size=1m"));
  auto store = OpenJobStore(StateLocation{StateLocation::Kind::kDirectory, config.state_dir});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->CountQueued().value(), 1);
}

// Fills the file system holding `dir` with one file until a write fails with
// ENOSPC; returns the file (remove it to free the space again).
fs::path FillDisk(const fs::path& dir) {
  fs::path filler = dir / "filler";
  int fd = ::open(filler.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  EXPECT_GE(fd, 0) << filler;
  std::string chunk(4096, 'x');
  ssize_t n;
  while ((n = ::write(fd, chunk.data(), chunk.size())) > 0) {
  }
  EXPECT_EQ(errno, ENOSPC);
  ::close(fd);
  return filler;
}

TEST(FaultTest, JobStoreIsUsableAgainOnceDiskSpaceIsFreed) {
  fs::path mnt = TempPath("freedstate");
  ScopedTmpfs tmpfs(mnt, "size=1m");
  if (!tmpfs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  auto store = OpenJobStore(StateLocation{StateLocation::Kind::kDirectory, mnt.string()});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto first = (*store)->Insert({TestJob(0)}, 100);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  fs::path filler = FillDisk(mnt);
  // Refused twice: a failed write must not leave a transaction open behind it
  // (the second attempt would then fail for that reason instead).
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto refused = (*store)->Insert({TestJob(attempt)}, 100);
    ASSERT_FALSE(refused.ok()) << "attempt " << attempt;
    EXPECT_EQ(refused.status().code(), Status::Code::kResourceExhausted) << refused.status().ToString();
    EXPECT_NE(refused.status().message().find("storage full"), std::string::npos) << refused.status().ToString();
    EXPECT_NE(refused.status().message().find((mnt / "novelta.db").string()), std::string::npos)
        << refused.status().ToString();
  }
  EXPECT_EQ((*store)->CountQueued().value(), 1);
  fs::remove(filler);
  auto later = (*store)->Insert({TestJob(3)}, 100);
  ASSERT_TRUE(later.ok()) << later.status().ToString();
  EXPECT_EQ((*store)->CountQueued().value(), 2);
  EXPECT_TRUE((*store)->Get((*first)[0].id).ok());
  EXPECT_TRUE((*store)->Get((*later)[0].id).ok());
}

TEST(FaultTest, KeyStoreOnAFullDiskRefusesClearlyAndRecovers) {
  fs::path mnt = TempPath("fullkeys");
  ScopedTmpfs tmpfs(mnt, "size=1m");
  if (!tmpfs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  auto keys = KeyStore::Open(mnt.string());
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  auto first = (*keys)->Create("first", Scope::kWrite);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  fs::path filler = FillDisk(mnt);
  // Enough keys that the WAL needs a page the disk no longer has.
  Status refused;
  for (int i = 0; i < 2000 && refused.ok(); ++i) {
    auto key = (*keys)->Create("k" + std::to_string(i), Scope::kRead);
    if (!key.ok()) refused = key.status();
  }
  ASSERT_FALSE(refused.ok()) << "a full disk should refuse new keys";
  EXPECT_EQ(refused.code(), Status::Code::kResourceExhausted) << refused.ToString();
  EXPECT_NE(refused.message().find("key store"), std::string::npos) << refused.ToString();
  EXPECT_NE(refused.message().find("storage full"), std::string::npos) << refused.ToString();
  // Existing keys still verify, and creating works again once space is freed.
  EXPECT_TRUE((*keys)->Verify(*first).ok());
  fs::remove(filler);
  auto later = (*keys)->Create("later", Scope::kRead);
  EXPECT_TRUE(later.ok()) << later.status().ToString();
}

// An assessor that holds every assessment until released, so a test can fill
// the disk while a job is running.
class GatedAssessor : public Assessor {
 public:
  StatusOr<NoveltyReport> Assess(const Submission& submission, const AssessParams&) const override {
    gate_.wait();
    NoveltyReport r;
    r.submission = submission;
    r.reasoning = std::string(4000, 'r');  // a report of some size to write
    return r;
  }
  StatusOr<std::vector<Claim>> ExtractClaims(const Submission&) const override { return std::vector<Claim>{}; }
  StatusOr<std::vector<PriorWork>> FindRelated(const Submission&, const AssessParams&) const override {
    return std::vector<PriorWork>{};
  }
  IndexSummary index_summary() const override { return {}; }
  void Release() { release_.set_value(); }

 private:
  std::promise<void> release_;
  std::shared_future<void> gate_ = release_.get_future().share();
};

TEST(FaultTest, AnOutcomeThatMeetsAFullDiskIsRecordedOnceSpaceIsFreed) {
  fs::path mnt = TempPath("fullrunner");
  ScopedTmpfs tmpfs(mnt, "size=1m");
  if (!tmpfs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  auto opened = OpenJobStore(StateLocation{StateLocation::Kind::kDirectory, mnt.string()});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::shared_ptr<JobStore> store = std::move(*opened);
  auto ins = store->Insert({TestJob(0)}, 10);
  ASSERT_TRUE(ins.ok()) << ins.status().ToString();
  const std::string id = (*ins)[0].id;
  auto assessor = std::make_shared<GatedAssessor>();
  std::atomic<int> finished{0};
  JobRunner runner(store, assessor, std::make_shared<ServiceMetrics>(), 1,
                   [&](const std::string&) { ++finished; });
  runner.Start();
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (runner.running() == 0 && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(runner.running(), 1);

  fs::path filler = FillDisk(mnt);
  assessor->Release();
  // The outcome cannot be written: the job stays running, held, not lost.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(finished.load(), 0);
  EXPECT_EQ(runner.running(), 1);
  auto held = store->Get(id);
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(held->status, JobStatus::kRunning);

  // Once space is freed, the held outcome lands without another assessment.
  fs::remove(filler);
  while (finished.load() == 0 && Clock::now() < deadline + std::chrono::seconds(5))
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(finished.load(), 1);
  auto done = store->Get(id);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->status, JobStatus::kDone);
  EXPECT_EQ(done->attempts, 1);
  EXPECT_EQ(runner.Stop(std::chrono::seconds(1)), 0);
}

HttpResponse CallService(NoveltyService& svc, const std::string& method, const std::string& path,
                         const std::string& body = "", std::map<std::string, std::string> query = {}) {
  HttpRequest req;
  req.method = method;
  req.path = path;
  req.query = std::move(query);
  req.body = body;
  if (!body.empty()) req.headers["Content-Type"] = "application/json";
  std::promise<HttpResponse> p;
  auto f = p.get_future();
  svc.Handle(req, [&p](HttpResponse r) { p.set_value(std::move(r)); });
  return f.get();
}

std::string SubmissionBody(int i) {
  return DumpJson(Json{{"title", "Graph convolutional networks, variant " + std::to_string(i)},
                       {"abstract",
                        "We propose a graph convolutional network for semi-supervised node classification "
                        "on citation networks. Our method scales linearly in the number of edges."}});
}

TEST(FaultTest, ServiceOnAFullDiskAnswers503StorageFullAndRecovers) {
  fs::path mnt = TempPath("fullservice");
  ScopedTmpfs tmpfs(mnt, "size=1m");
  if (!tmpfs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  ServiceConfig config;
  config.state_dir = (mnt / "state").string();
  config.require_api_keys = false;
  auto assessor = OpenAssessor(testing::FixtureIndexDir());
  ASSERT_TRUE(assessor.ok()) << assessor.status().ToString();
  auto service = NoveltyService::Open(config, std::shared_ptr<const Assessor>(std::move(*assessor)));
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  NoveltyService& svc = **service;

  // One job accepted and finished before the disk fills.
  HttpResponse done = CallService(svc, "POST", "/v1/assessments", SubmissionBody(0), {{"wait", "60"}});
  ASSERT_EQ(done.status, 200) << done.body;
  std::string done_id = ParseJson(done.body, "response")->at("id").get<std::string>();

  fs::path filler = FillDisk(mnt);
  HttpResponse refused;
  for (int i = 1; i <= 20; ++i) {
    refused = CallService(svc, "POST", "/v1/assessments", SubmissionBody(i));
    if (refused.status != 202) break;
  }
  ASSERT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.headers["Content-Type"], "application/problem+json");
  EXPECT_FALSE(refused.headers["Retry-After"].empty());
  auto problem = ParseJson(refused.body, "problem");
  ASSERT_TRUE(problem.ok()) << refused.body;
  EXPECT_EQ((*problem)["status"], 503);
  std::string detail = (*problem)["detail"].get<std::string>();
  EXPECT_NE(detail.find("storage full"), std::string::npos) << detail;
  EXPECT_NE(detail.find("retry later"), std::string::npos) << detail;
  EXPECT_EQ(detail.find('/'), std::string::npos) << "no server path in a client's error: " << detail;

  // Reading still works on a full disk.
  HttpResponse got = CallService(svc, "GET", "/v1/assessments/" + done_id);
  EXPECT_EQ(got.status, 200) << got.body;
  // Once space is freed, submissions are accepted again.
  fs::remove(filler);
  HttpResponse again = CallService(svc, "POST", "/v1/assessments", SubmissionBody(99));
  EXPECT_EQ(again.status, 202) << again.body;
}

}  // namespace
}  // namespace novelta
