#include "base/subprocess.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>

namespace novelta {
namespace {

TEST(SubprocessTest, PassesInputAndTakesOutput) {
  auto r = RunProcess({"/bin/sh", "-c", "tr a-z A-Z; echo done >&2; exit 3"}, "hello child");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->out, "HELLO CHILD");
  EXPECT_EQ(r->err, "done\n");
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->signal, 0);
  EXPECT_FALSE(r->timed_out);
}

TEST(SubprocessTest, LargeInputAndOutputDoNotDeadlock) {
  std::string big(8 << 20, 'x');
  auto r = RunProcess({"/bin/cat"}, big);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out.size(), big.size());
  EXPECT_EQ(r->exit_code, 0);
}

TEST(SubprocessTest, AHangingChildIsKilledAtTheDeadline) {
  ProcessLimits limits;
  limits.max_seconds = 0.3;
  auto start = std::chrono::steady_clock::now();
  auto r = RunProcess({"/bin/sleep", "30"}, "", limits);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->signal, SIGKILL);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  // One that closes its output but keeps running is killed too.
  r = RunProcess({"/bin/sh", "-c", "exec >&- 2>&-; sleep 30"}, "", limits);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->timed_out);
}

TEST(SubprocessTest, ChildThatStopsReadingOrFloodsOutputCannotHurtTheCaller) {
  // It exits without reading 16 MiB of input: no SIGPIPE here.
  auto r = RunProcess({"/bin/true"}, std::string(16 << 20, 'y'));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0);
  ProcessLimits limits;
  limits.max_output_bytes = 1 << 20;
  r = RunProcess({"/bin/sh", "-c", "yes"}, "", limits);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->output_cut);
  EXPECT_EQ(r->signal, SIGKILL);
  EXPECT_LE(r->out.size(), (1u << 20) + 65536);
}

TEST(SubprocessTest, AProgramThatDoesNotExistIsAnError) {
  auto r = RunProcess({"/nonexistent/program"}, "");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("/nonexistent/program"), std::string::npos);
}

}  // namespace
}  // namespace novelta
