// Fuzzes the service's request handling end to end without a socket: the
// request target is parsed and percent-decoded by the HTTP server's own
// ParseRequestTarget, then NoveltyService::Handle routes it, authenticates,
// parses the query string and the body (JSON, batch, Markdown, PDF) and
// answers, with a FakeAssessor behind it.
//
// Input layout: byte 0 picks the method and whether a valid key is sent; then
// "TARGET\nHeader: value\n...\n\nBODY" (any part may be missing).

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <memory>

#include "fuzz/fuzz_util.h"
#include "services/fake_assessor.h"
#include "services/http/request_target.h"
#include "services/service.h"

namespace {

constexpr char kKey[] = "fuzz-admin-key-0123456789abcdef";

novelta::NoveltyService* Service() {
  static novelta::NoveltyService* service = [] {
    novelta::ServiceConfig config;
    const char* tmp = std::getenv("TMPDIR");
    config.state_dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/novelta_fuzz_http_" + std::to_string(::getpid());
    novelta::Env::Default()->RemoveTree(config.state_dir);
    config.bootstrap_api_key = kKey;
    config.max_wait_seconds = 1;  // ?wait must not turn into a hang report
    config.rate_limit_per_second = 1e9;
    config.rate_limit_burst = 1 << 30;
    config.max_queue = 200;
    config.max_batch = 20;
    config.workers = 1;
    config.log_level = "off";
    auto s = novelta::NoveltyService::Open(config, std::make_shared<novelta::FakeAssessor>());
    if (!s.ok()) {
      std::fprintf(stderr, "cannot open the service: %s\n", s.status().ToString().c_str());
      std::abort();
    }
    return s->release();  // lives for the whole fuzzing process
  }();
  return service;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);  // the access log would drown the fuzzer's output
  Service();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace novelta;
  if (size == 0) return 0;
  static const char* kMethods[] = {"GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS", "get"};
  HttpRequest req;
  req.method = kMethods[(data[0] >> 1) & 7];
  std::string_view rest = fuzz::AsText(data + 1, size - 1);
  size_t eol = rest.find('\n');
  std::string target(rest.substr(0, eol));
  rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
  // Headers up to a blank line; the rest is the body.
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    req.headers[std::string(line.substr(0, colon))] = std::string(value);
  }
  req.body = std::string(rest);
  if (data[0] & 1) req.headers["Authorization"] = std::string("Bearer ") + kKey;

  // As the server: a target it cannot decode is answered 400 before the service.
  if (!ParseRequestTarget(target, &req.path, &req.query).ok()) return 0;

  // Methods are case-sensitive: "get" is not HTTP's GET.
  const bool http_method = req.method != "get";
  auto answered = std::make_shared<std::promise<HttpResponse>>();
  auto count = std::make_shared<std::atomic<int>>(0);
  std::future<HttpResponse> reply = answered->get_future();
  Service()->Handle(std::move(req), [answered, count](HttpResponse r) {
    if (count->fetch_add(1) == 0) answered->set_value(std::move(r));
  });
  // Every request is answered exactly once, and soon (?wait is capped at 1 s).
  fuzz::Check(reply.wait_for(std::chrono::seconds(10)) == std::future_status::ready,
              "a request not answered within 10 s");
  HttpResponse r = reply.get();
  fuzz::Check(r.status >= 200 && r.status <= 599, "an HTTP status outside 200..599");
  // The only 5xx a client may see are a deliberate 503 (overload, shutdown)
  // and 501 for a method that is not HTTP's.
  fuzz::Check(r.status < 500 || r.status == 503 || (r.status == 501 && !http_method),
              "a 5xx answer other than 503, or 501 for an HTTP method");
  if (r.status >= 400) fuzz::Check(!r.body.empty(), "an error answer without a problem body");
  return 0;
}
