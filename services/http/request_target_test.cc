#include "services/http/request_target.h"

#include <gtest/gtest.h>

namespace novelta {
namespace {

TEST(RequestTargetTest, DecodesPathAndQuery) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(ParseRequestTarget("/v1/assessments/a%20b?wait=30&external_id=x%26y&flag&wait=5", &path, &query).ok());
  EXPECT_EQ(path, "/v1/assessments/a b");
  EXPECT_EQ(query.at("wait"), "5");  // the last one wins
  EXPECT_EQ(query.at("external_id"), "x&y");
  EXPECT_EQ(query.at("flag"), "");
  EXPECT_EQ(query.size(), 3u);
}

TEST(RequestTargetTest, KeepsPlusAndDropsFragment) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(ParseRequestTarget("/x?q=a+b#frag", &path, &query).ok());
  EXPECT_EQ(path, "/x");
  EXPECT_EQ(query.at("q"), "a+b");
}

TEST(RequestTargetTest, AbsoluteFormDropsTheAuthority) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(ParseRequestTarget("HTTP://example.org:8080/healthz?a=1", &path, &query).ok());
  EXPECT_EQ(path, "/healthz");
  EXPECT_EQ(query.at("a"), "1");
  ASSERT_TRUE(ParseRequestTarget("http://example.org", &path, &query).ok());
  EXPECT_EQ(path, "/");
}

TEST(RequestTargetTest, RefusesWhatIsNotAnOriginFormPath) {
  std::string path;
  std::map<std::string, std::string> query;
  for (const char* bad : {"", "*", "healthz", "example.org:443", "/a%2", "/a%zz", "/a?b=%", "/%00", "/a?%g1=2"}) {
    Status s = ParseRequestTarget(bad, &path, &query);
    EXPECT_TRUE(s.IsInvalidArgument()) << bad;
  }
  // A decoded CR/LF is kept (the access log escapes it); only NUL is refused in the path.
  ASSERT_TRUE(ParseRequestTarget("/a%0D%0Ab?x=%00", &path, &query).ok());
  EXPECT_EQ(path, "/a\r\nb");
  EXPECT_EQ(query.at("x"), std::string(1, '\0'));
}

TEST(RequestTargetTest, PercentDecodeHandlesEdges) {
  std::string out;
  EXPECT_TRUE(PercentDecode("%41%62c", &out));
  EXPECT_EQ(out, "Abc");
  EXPECT_FALSE(PercentDecode("%4", &out));
  EXPECT_FALSE(PercentDecode("%", &out));
  EXPECT_TRUE(PercentDecode("", &out));
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace novelta
