#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string_view>

#include "base/env.h"
#include "base/hash.h"
#include "base/json.h"
#include "base/line_reader.h"
#include "novelta/status.h"
#include "base/text.h"

namespace novelta {
namespace {

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("novelta_base_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

TEST(StatusTest, CarriesCodeAndMessage) {
  Status s = Status::InvalidArgument("x.json: no abstract");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.ToString(), "InvalidArgument: x.json: no abstract");
  EXPECT_EQ(s.WithPrefix("batch").message(), "batch: x.json: no abstract");
  EXPECT_EQ(Status::OK().ToString(), "OK");
}

StatusOr<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd");
  return x / 2;
}
Status Quarter(int x, int* out) {
  NOVELTA_ASSIGN_OR_RETURN(int h, Half(x));
  NOVELTA_ASSIGN_OR_RETURN(*out, Half(h));
  return Status::OK();
}

TEST(StatusTest, AssignOrReturnPropagates) {
  int out = 0;
  EXPECT_TRUE(Quarter(8, &out).ok());
  EXPECT_EQ(out, 2);
  EXPECT_EQ(Quarter(6, &out).message(), "odd");
}

TEST(EnvTest, AtomicWriteAndReadBack) {
  std::string dir = TempDir("env");
  Env* env = Env::Default();
  std::string path = dir + "/a.txt";
  ASSERT_TRUE(env->WriteFileAtomic(path, "hello").ok());
  std::string got;
  ASSERT_TRUE(env->ReadFile(path, &got).ok());
  EXPECT_EQ(got, "hello");
  // No temporary file is left beside it.
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) (void)e, ++files;
  EXPECT_EQ(files, 1);
  EXPECT_TRUE(env->ReadFile(dir + "/missing", &got).IsNotFound());
  Status big = env->ReadFile(path, &got, 3);
  EXPECT_TRUE(big.IsInvalidArgument()) << big.ToString();
}

TEST(EnvTest, ReplaceDirectorySwapsWholeTree) {
  std::string dir = TempDir("replace");
  Env* env = Env::Default();
  ASSERT_TRUE(env->CreateDirs(dir + "/target").ok());
  ASSERT_TRUE(env->WriteFileAtomic(dir + "/target/old", "1").ok());
  ASSERT_TRUE(env->CreateDirs(dir + "/staged").ok());
  ASSERT_TRUE(env->WriteFileAtomic(dir + "/staged/new", "2").ok());
  ASSERT_TRUE(ReplaceDirectory(env, dir + "/staged", dir + "/target").ok());
  EXPECT_TRUE(env->FileExists(dir + "/target/new"));
  EXPECT_FALSE(env->FileExists(dir + "/target/old"));
  EXPECT_FALSE(env->FileExists(dir + "/staged"));
}

// An Env that dies (as a process killed with SIGKILL would) at its Nth
// mutating call, to prove ReplaceDirectory leaves the target whole whenever
// the crash comes.
class CrashingEnv : public Env {
 public:
  explicit CrashingEnv(int crash_at) : crash_at_(crash_at) {}
  Status RenameFile(const std::string& a, const std::string& b) override { Step(); return Env::RenameFile(a, b); }
  Status ExchangePaths(const std::string& a, const std::string& b) override {
    Step();
    return Env::ExchangePaths(a, b);
  }
  Status RemoveTree(const std::string& p) override { Step(); return Env::RemoveTree(p); }
  Status SyncDir(const std::string& p) override { Step(); return Env::SyncDir(p); }

 private:
  void Step() {
    if (++calls_ == crash_at_) ::_exit(9);
  }
  int crash_at_;
  int calls_ = 0;
};

TEST(EnvTest, ReplaceDirectoryKilledAtAnyStepLeavesTheOldOrTheNewTree) {
  for (int crash_at = 1; crash_at <= 6; ++crash_at) {
    std::string dir = TempDir("replace_crash");
    Env* env = Env::Default();
    ASSERT_TRUE(env->CreateDirs(dir + "/target").ok());
    ASSERT_TRUE(env->WriteFileAtomic(dir + "/target/which", "old").ok());
    ASSERT_TRUE(env->CreateDirs(dir + "/staged").ok());
    ASSERT_TRUE(env->WriteFileAtomic(dir + "/staged/which", "new").ok());
    pid_t pid = ::fork();
    if (pid == 0) {
      CrashingEnv crashing(crash_at);
      ::_exit(ReplaceDirectory(&crashing, dir + "/staged", dir + "/target").ok() ? 0 : 1);
    }
    int st = 0;
    ::waitpid(pid, &st, 0);
    ASSERT_TRUE(WIFEXITED(st));
    std::string which;
    Status s = env->ReadFile(dir + "/target/which", &which);
    EXPECT_TRUE(s.ok()) << "crash at step " << crash_at << " left no target: " << s.ToString();
    EXPECT_TRUE(which == "old" || which == "new") << which;
    if (WEXITSTATUS(st) == 0) EXPECT_EQ(which, "new");
    env->RemoveTree(dir);
  }
}

TEST(EnvTest, FileLockIsExclusiveEvenWithinOneProcessAndReleasedOnDestruction) {
  std::string dir = TempDir("lock");
  Env* env = Env::Default();
  std::unique_ptr<FileLock> first, second;
  ASSERT_TRUE(env->LockFile(dir + "/x.lock", &first).ok());
  Status again = env->LockFile(dir + "/x.lock", &second);
  EXPECT_EQ(again.code(), Status::Code::kFailedPrecondition) << again.ToString();
  EXPECT_EQ(second, nullptr);
  first.reset();
  EXPECT_TRUE(env->LockFile(dir + "/x.lock", &second).ok());
  // A lock's holder dying releases it: a child takes it, is killed, and the
  // parent can take it after.
  second.reset();
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    std::unique_ptr<FileLock> held;
    char ok = env->LockFile(dir + "/x.lock", &held).ok() ? '1' : '0';
    (void)!::write(ready[1], &ok, 1);
    ::pause();
    ::_exit(0);
  }
  char ok = 0;
  ASSERT_EQ(::read(ready[0], &ok, 1), 1);
  EXPECT_EQ(ok, '1');
  EXPECT_EQ(env->LockFile(dir + "/x.lock", &second).code(), Status::Code::kFailedPrecondition);
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  EXPECT_TRUE(env->LockFile(dir + "/x.lock", &second).ok());
  std::filesystem::remove_all(dir);
}

TEST(EnvTest, StagingDirectoryCleansDebrisLocksAndCommits) {
  std::string dir = TempDir("staging");
  Env* env = Env::Default();
  const std::string target = dir + "/index";
  std::filesystem::create_directories(target);
  { std::ofstream(target + "/v") << "old"; }
  // What writers killed mid-way left beside the target (and a bystander).
  std::filesystem::create_directories(target + ".staging-123/sub");
  std::filesystem::create_directories(target + ".old.tmp-9-9");
  std::filesystem::create_directories(dir + "/index2.staging-5");
  {
    auto staged = StagingDirectory::Begin(env, target + "/");
    ASSERT_TRUE(staged.ok()) << staged.status().ToString();
    EXPECT_FALSE(std::filesystem::exists(target + ".staging-123"));
    EXPECT_FALSE(std::filesystem::exists(target + ".old.tmp-9-9"));
    EXPECT_TRUE(std::filesystem::exists(dir + "/index2.staging-5"));  // not this target's
    EXPECT_TRUE(std::filesystem::is_directory((*staged)->path()));
    // A second writer of the same target is refused, naming it.
    auto second = StagingDirectory::Begin(env, target);
    EXPECT_EQ(second.status().code(), Status::Code::kFailedPrecondition);
    EXPECT_NE(second.status().message().find(target), std::string::npos);
    // Abandoned without Commit: the staged tree goes, the target stays.
    { std::ofstream((*staged)->path() + "/v") << "new"; }
  }
  std::string v;
  ASSERT_TRUE(env->ReadFile(target + "/v", &v).ok());
  EXPECT_EQ(v, "old");
  std::vector<std::string> names;
  ASSERT_TRUE(env->GetChildren(dir, &names).ok());
  for (const auto& n : names) EXPECT_EQ(n.find("index.staging-"), std::string::npos) << n;
  {
    auto staged = StagingDirectory::Begin(env, target);
    ASSERT_TRUE(staged.ok()) << staged.status().ToString();
    { std::ofstream((*staged)->path() + "/v") << "new"; }
    ASSERT_TRUE((*staged)->Commit().ok());
  }
  ASSERT_TRUE(env->ReadFile(target + "/v", &v).ok());
  EXPECT_EQ(v, "new");
  ASSERT_TRUE(env->GetChildren(dir, &names).ok());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"index", "index.lock", "index2.staging-5"}));
  std::filesystem::remove_all(dir);
}

TEST(LineReaderTest, ReadsGzipAndPlainWithLineNumbers) {
  std::string dir = TempDir("lines");
  std::string plain = dir + "/a.jsonl", gz = dir + "/a.jsonl.gz";
  { std::ofstream(plain) << "one\r\ntwo\n\nlast"; }
  gzFile f = gzopen(gz.c_str(), "wb");
  gzputs(f, "alpha\nbeta\n");
  gzclose(f);
  for (const auto& [path, expected] :
       std::vector<std::pair<std::string, std::vector<std::string>>>{
           {plain, {"one", "two", "", "last"}}, {gz, {"alpha", "beta"}}}) {
    auto r = LineReader::Open(path);
    ASSERT_TRUE(r.ok());
    std::vector<std::string> got;
    std::string line;
    while ((*r)->Next(&line)) got.push_back(line);
    EXPECT_TRUE((*r)->status().ok());
    EXPECT_EQ(got, expected);
    EXPECT_EQ((*r)->line_number(), expected.size());
  }
  EXPECT_TRUE(LineReader::Open(dir + "/nope").status().IsNotFound());
}

TEST(LineReaderTest, TruncatedGzipIsCorruptionNotASilentEnd) {
  std::string dir = TempDir("trunc");
  std::string gz = dir + "/a.jsonl.gz";
  gzFile f = gzopen(gz.c_str(), "wb");
  for (int i = 0; i < 2000; ++i) gzprintf(f, "{\"id\": %d, \"text\": \"line number %d\"}\n", i, i);
  gzclose(f);
  std::filesystem::resize_file(gz, std::filesystem::file_size(gz) / 2);
  auto r = LineReader::Open(gz);
  ASSERT_TRUE(r.ok());
  std::string line;
  int n = 0;
  while ((*r)->Next(&line)) ++n;
  EXPECT_LT(n, 2000);
  EXPECT_TRUE((*r)->status().IsCorruption()) << (*r)->status().ToString();
  EXPECT_NE((*r)->status().message().find("truncated"), std::string::npos);
}

TEST(LineReaderTest, OverlongLineIsFlaggedNotLoaded) {
  std::string dir = TempDir("long");
  std::string path = dir + "/a.txt";
  { std::ofstream(path) << std::string(1000, 'x') << "\nshort\n"; }
  auto r = LineReader::Open(path, 100);
  ASSERT_TRUE(r.ok());
  std::string line;
  bool too_long = false;
  ASSERT_TRUE((*r)->Next(&line, &too_long));
  EXPECT_TRUE(too_long);
  EXPECT_TRUE(line.empty());
  ASSERT_TRUE((*r)->Next(&line, &too_long));
  EXPECT_FALSE(too_long);
  EXPECT_EQ(line, "short");
}

TEST(TextTest, LogSafeKeepsOneLine) {
  EXPECT_EQ(LogSafe("/v1/claims"), "/v1/claims");
  EXPECT_EQ(LogSafe("/a\r\nfake \"line\"\\"), "/a\\x0d\\x0afake \\x22line\\x22\\x5c");
  EXPECT_EQ(LogSafe(std::string("n\0ul\x7f", 5)), "n\\x00ul\\x7f");
  EXPECT_EQ(LogSafe("caf\xC3\xA9"), "caf\xC3\xA9");  // UTF-8 stays readable
  EXPECT_EQ(LogSafe(std::string(300, 'x'), 10), std::string(10, 'x') + "...");
}

TEST(TextTest, Utf8Hygiene) {
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9"));
  EXPECT_FALSE(IsValidUtf8("bad\xC3"));
  EXPECT_EQ(SanitizeUtf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(SanitizeUtf8(std::string("a\0b", 3)), "a\xEF\xBF\xBD" "b");
  EXPECT_LT(BinaryGarbageRatio("plain text\n"), 0.01);
  EXPECT_GT(BinaryGarbageRatio(std::string("\x01\x02\x03\xFF\xFE", 5)), 0.9);
}

TEST(TextTest, WordsTitlesAndSimilarity) {
  EXPECT_EQ(WordTokens("GPT-4's 2x speed-up"),
            (std::vector<std::string>{"gpt", "4", "s", "2x", "speed", "up"}));
  EXPECT_EQ(NormalizeTitle("  Attention Is All You Need! "), "attention is all you need");
  EXPECT_DOUBLE_EQ(TitleSimilarity("Attention is all you need", "attention IS all you need."), 1.0);
  EXPECT_NEAR(TitleSimilarity("a b c d", "a b c e"), 3.0 / 5.0, 1e-9);
  EXPECT_EQ(CollapseWhitespace("  a \n\t b  "), "a b");
  auto spans = WordTokenSpans("Hi, you");
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[1].begin, 4u);
  EXPECT_EQ(spans[1].end, 7u);
}

TEST(TextTest, TitleMatcherAgreesWithTitleSimilarity) {
  // Random titles over a small vocabulary (so many pairs come close to the
  // threshold), in mixed case and punctuation: the matcher's quick refusal
  // must never change an answer.
  const std::vector<std::string> vocab = {"Deep", "learning", "graph", "neural", "networks", "of",
                                          "for", "GRAPHS", "attention", "is", "all", "you",
                                          "need", "x", "Learning-Based", "2x"};
  std::mt19937 rng(7);
  auto title = [&] {
    std::string t;
    const int n = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) t += vocab[rng() % vocab.size()] + (rng() % 4 ? " " : ": ");
    return t;
  };
  size_t matches = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const std::string a = title();
    for (double threshold : {0.5, 0.8, 1.0}) {
      TitleMatcher matcher(a, threshold);
      for (int j = 0; j < 30; ++j) {
        // Half the candidates are `a` with one word changed, so matches occur.
        std::string b = j % 2 ? title() : a + " " + vocab[rng() % vocab.size()];
        const bool expected = TitleSimilarity(a, b) >= threshold;
        ASSERT_EQ(matcher.Matches(b), expected) << "'" << a << "' vs '" << b << "' at " << threshold;
        matches += expected;
      }
    }
  }
  EXPECT_GT(matches, 1000u);  // the test exercised the matching side too
  EXPECT_FALSE(TitleMatcher("", 0.8).Matches("anything"));
  EXPECT_TRUE(TitleMatcher("Attention Is All You Need", 0.8).Matches("attention is all you need!"));
}

TEST(TextTest, TextForMatchingDropsLatexNotation) {
  EXPECT_EQ(CollapseWhitespace(TextForMatching("$\\varepsilon$-DPO with $\\beta_{t}^2$ and \\% x")),
            "-DPO with t 2 and % x");
}

TEST(HashTest, Sha256KnownValuesAndConstantTimeCompare) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

TEST(EnvTest, SequentialAndWritableFilesRoundTrip) {
  const std::string dir = TempDir("files");
  Env* env = Env::Default();
  const std::string path = dir + "/f";
  std::unique_ptr<WritableFile> out;
  ASSERT_TRUE(env->NewWritableFile(path, &out).ok());
  // Small appends (buffered), one larger than the buffer (written through).
  std::string want = "first line\n";
  ASSERT_TRUE(out->Append(want).ok());
  const std::string big(200000, 'x');
  ASSERT_TRUE(out->Append(big).ok());
  want += big;
  ASSERT_TRUE(out->Append("tail").ok());
  want += "tail";
  ASSERT_TRUE(out->Sync().ok());
  ASSERT_TRUE(out->Close().ok());
  EXPECT_TRUE(out->Close().ok());  // closing twice is harmless
  EXPECT_EQ(out->Append("more").code(), Status::Code::kFailedPrecondition);

  std::unique_ptr<SequentialFile> in;
  ASSERT_TRUE(env->NewSequentialFile(path, &in).ok());
  std::string got;
  char scratch[4096];
  for (std::string_view piece;;) {
    ASSERT_TRUE(in->Read(sizeof(scratch), &piece, scratch).ok());
    if (piece.empty()) break;
    got.append(piece);
  }
  EXPECT_EQ(got, want);
  EXPECT_TRUE(env->NewSequentialFile(dir + "/missing", &in).IsNotFound());
  EXPECT_TRUE(in == nullptr);
  // A new writable file replaces what was there.
  ASSERT_TRUE(env->NewWritableFile(path, &out).ok());
  ASSERT_TRUE(out->Append("new").ok());
  ASSERT_TRUE(out->Close().ok());
  ASSERT_TRUE(env->ReadFile(path, &got).ok());
  EXPECT_EQ(got, "new");
  env->RemoveTree(dir);
}

TEST(EnvTest, FullDiskSurfacesWhenTheWritableFileIsFlushed) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  std::unique_ptr<WritableFile> out;
  ASSERT_TRUE(Env::Default()->NewWritableFile("/dev/full", &out).ok());
  ASSERT_TRUE(out->Append("buffered").ok());
  Status s = out->Close();
  EXPECT_EQ(s.code(), Status::Code::kResourceExhausted) << s.ToString();
  EXPECT_NE(s.message().find("/dev/full"), std::string::npos) << s.ToString();
}

// An Env whose files fail: opening them, or reading after `good_reads` pieces.
class FaultyReadEnv : public Env {
 public:
  Status open_error;  // returned by NewSequentialFile when set
  int good_reads = 0;

  Status NewSequentialFile(const std::string& path, std::unique_ptr<SequentialFile>* result) override {
    if (!open_error.ok()) return open_error;
    NOVELTA_RETURN_IF_ERROR(Env::NewSequentialFile(path, result));
    *result = std::make_unique<FailingReads>(std::move(*result), good_reads);
    return Status::OK();
  }

 private:
  class FailingReads : public SequentialFile {
   public:
    FailingReads(std::unique_ptr<SequentialFile> base, int good) : base_(std::move(base)), good_(good) {}
    Status Read(size_t n, std::string_view* result, char* scratch) override {
      if (good_-- <= 0) return Status::IOError("injected read error");
      return base_->Read(n, result, scratch);
    }

   private:
    std::unique_ptr<SequentialFile> base_;
    int good_;
  };
};

TEST(HashTest, Sha256FileStreamsThroughEnvAndReturnsItsFaults) {
  const std::string dir = TempDir("hash");
  const std::string path = dir + "/blob";
  std::string bytes;
  for (int i = 0; i < 100000; ++i) bytes += static_cast<char>(i * 7 + i / 300);  // over one 64 KiB piece
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(path, bytes).ok());
  auto sha = Sha256File(path);
  ASSERT_TRUE(sha.ok()) << sha.status().ToString();
  EXPECT_EQ(*sha, Sha256Hex(bytes));
  EXPECT_TRUE(Sha256File(dir + "/missing").status().IsNotFound());

  FaultyReadEnv faulty;
  faulty.good_reads = 100;
  auto through_env = Sha256File(path, &faulty);
  ASSERT_TRUE(through_env.ok());
  EXPECT_EQ(*through_env, *sha);
  faulty.good_reads = 1;  // the second piece fails
  auto failed_read = Sha256File(path, &faulty);
  EXPECT_TRUE(failed_read.status().IsIOError()) << failed_read.status().ToString();
  EXPECT_EQ(failed_read.status().message(), "injected read error");
  faulty.open_error = Status::PermissionDenied(path + ": injected");
  auto failed_open = Sha256File(path, &faulty);
  EXPECT_EQ(failed_open.status().code(), Status::Code::kPermissionDenied);
  Env::Default()->RemoveTree(dir);
}

TEST(LineReaderTest, ReadsThroughEnvConcatenatedMembersAndReturnsFaults) {
  const std::string dir = TempDir("lines_env");
  const std::string gz = dir + "/two.jsonl.gz";
  for (const char* part : {"first\nsecond\n", "third\n"}) {  // two gzip members, as `cat a.gz b.gz`
    gzFile f = gzopen(gz.c_str(), "ab");
    gzputs(f, part);
    gzclose(f);
  }
  { std::ofstream(gz, std::ios::app | std::ios::binary) << std::string(8, '\0'); }  // trailing padding
  auto read_all = [](const std::string& path, Env* env, std::vector<std::string>* got) {
    auto r = LineReader::Open(path, LineReader::kDefaultMaxLineBytes, env);
    if (!r.ok()) return r.status();
    std::string line;
    while ((*r)->Next(&line)) got->push_back(line);
    return (*r)->status();
  };
  std::vector<std::string> got;
  ASSERT_TRUE(read_all(gz, Env::Default(), &got).ok());
  EXPECT_EQ(got, (std::vector<std::string>{"first", "second", "third"}));

  // A long file over many reads: every line, and the bytes consumed reach the size.
  const std::string big = dir + "/big.jsonl.gz";
  gzFile f = gzopen(big.c_str(), "wb");
  for (int i = 0; i < 60000; ++i) gzprintf(f, "{\"id\": %d, \"pad\": \"%d %d %d\"}\n", i, i * 7, i * 13, i * 31);
  gzclose(f);
  auto r = LineReader::Open(big);
  ASSERT_TRUE(r.ok());
  std::string line;
  int n = 0;
  while ((*r)->Next(&line)) ++n;
  EXPECT_TRUE((*r)->status().ok()) << (*r)->status().ToString();
  EXPECT_EQ(n, 60000);
  EXPECT_EQ((*r)->bytes_consumed(), std::filesystem::file_size(big));

  FaultyReadEnv faulty;
  faulty.good_reads = 1;  // the first piece reads, the second fails
  got.clear();
  Status failed = read_all(big, &faulty, &got);
  EXPECT_TRUE(failed.IsIOError()) << failed.ToString();
  EXPECT_FALSE(got.empty());
  faulty.open_error = Status::PermissionDenied(big + ": injected");
  EXPECT_EQ(read_all(big, &faulty, &got).code(), Status::Code::kPermissionDenied);
  Env::Default()->RemoveTree(dir);
}

TEST(JsonTest, ErrorsNameTheInputAndDepthIsBounded) {
  auto bad = ParseJson("{\"a\": }", "sub.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("sub.json: invalid JSON"), std::string::npos);
  std::string deep(100, '[');
  deep += std::string(100, ']');
  auto d = ParseJson(deep, "deep.json", 64);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("deeper than 64"), std::string::npos);
  EXPECT_TRUE(ParseJson("{\"s\": \"[[[[\"}", "str.json", 2).ok());  // brackets in strings don't count
  auto ok = ParseJson("{\"title\": 3, \"year\": \"2024\"}", "x");
  ASSERT_TRUE(ok.ok());
  std::string title;
  EXPECT_EQ(GetString(*ok, "title", "x", &title, true).message(), "x: field 'title' must be a string");
  int64_t year = 0;
  EXPECT_TRUE(GetInt(*ok, "year", "x", &year, true).ok());
  EXPECT_EQ(year, 2024);
}

}  // namespace
}  // namespace novelta
