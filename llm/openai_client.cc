// The OpenAI-compatible client: POST {base_url}/chat/completions with
// libcurl, a structured answer requested through response_format
// json_schema (strict), retried with exponential backoff.
//
// Token budget: each HTTP exchange that returns a body charges the budget
// with the server's usage figures (prompt_tokens + completion_tokens); when
// the server gives none, with an estimate of one token per 4 bytes of the
// system and user messages plus one per 4 bytes of the answer's content.
// Only the server's figures are added to usage() and to LlmAnswer. The budget
// is checked before every HTTP request, so concurrent callers may overshoot
// it by what the requests in flight when it ran out spend.
//
// The API key is sent only in the Authorization header. Every response body
// has the key replaced by "[api key]" before it is read, and every Status
// message is scrubbed of it, so neither an answer, an error nor a log line
// can carry it (even from a server that echoes it).
#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "llm/llm_client.h"

namespace novelta {
namespace {

// Most bytes of a response body read; a longer one fails the request.
constexpr size_t kMaxResponseBytes = 8u << 20;
// Longest excerpt of a server's text in an error message.
constexpr size_t kMaxExcerpt = 200;
constexpr char kRedacted[] = "[api key]";

std::once_flag g_curl_once;
CURLcode g_curl_init = CURLE_OK;

CURLcode GlobalInit() {
  std::call_once(g_curl_once, [] { g_curl_init = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return g_curl_init;
}

// Counting semaphore: at most `n` holders at once.
class Semaphore {
 public:
  explicit Semaphore(int n) : free_(n) {}
  void Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return free_ > 0; });
    --free_;
  }
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++free_;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int free_;
};

class SemaphoreHold {
 public:
  explicit SemaphoreHold(Semaphore* s) : s_(s) { s_->Acquire(); }
  ~SemaphoreHold() { s_->Release(); }
  SemaphoreHold(const SemaphoreHold&) = delete;
  SemaphoreHold& operator=(const SemaphoreHold&) = delete;

 private:
  Semaphore* s_;
};

struct HttpReply {
  CURLcode code = CURLE_OK;
  long status = 0;          // HTTP status; 0 when none was received
  std::string body;
  bool too_large = false;   // the body passed kMaxResponseBytes
  double retry_after = 0;   // seconds the server asked to wait (Retry-After); 0: none
  std::string error;        // curl's description of a failure
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* reply = static_cast<HttpReply*>(user);
  const size_t bytes = size * n;
  if (reply->body.size() + bytes > kMaxResponseBytes) {
    reply->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  reply->body.append(data, bytes);
  return bytes;
}

void ReplaceAll(std::string* text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t pos = text->find(from); pos != std::string::npos; pos = text->find(from, pos + to.size()))
    text->replace(pos, from.size(), to);
}

std::string Excerpt(const std::string& text) {
  if (text.size() <= kMaxExcerpt) return text;
  return text.substr(0, kMaxExcerpt) + "...";
}

// `url` without user information ("http://user:pass@host" -> "http://host").
std::string WithoutUserInfo(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const size_t host_start = scheme_end + 3;
  const size_t path_start = url.find('/', host_start);
  const size_t at = url.rfind('@', path_start == std::string::npos ? url.size() : path_start);
  if (at == std::string::npos || at < host_start) return url;
  return url.substr(0, host_start) + url.substr(at + 1);
}

bool ValidSchemaName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// Whether a failed transfer may succeed when tried again.
bool TransientCurlError(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_WRITE_ERROR:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_FAILED_INIT:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return false;
    default:
      return true;
  }
}

int64_t EstimateTokens(size_t bytes) { return static_cast<int64_t>((bytes + 3) / 4); }

class OpenAiClient final : public LlmClient {
 public:
  explicit OpenAiClient(const OpenAiClientOptions& options)
      : options_(options), slots_(std::max(1, options.max_concurrency)) {
    std::string base = options_.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    endpoint_ = base + "/chat/completions";
    shown_endpoint_ = WithoutUserInfo(endpoint_);
  }
  ~OpenAiClient() override {
    for (CURL* h : handles_) curl_easy_cleanup(h);
  }

  StatusOr<LlmAnswer> Complete(const LlmRequest& request) override {
    try {
      return DoComplete(request);
    } catch (const std::exception& e) {
      return Status::Internal(Safe(std::string("llm: ") + e.what()));
    } catch (...) {
      return Status::Internal("llm: unknown exception");
    }
  }
  std::string model() const override { return options_.model; }
  const LlmUsage& usage() const override { return usage_; }

 private:
  // What one HTTP exchange came to.
  struct Attempt {
    enum Kind { kAnswer, kRetry, kFail } kind = kFail;
    Status status;        // why it was not an answer
    LlmAnswer answer;     // kind == kAnswer
    double retry_after = 0;
  };

  StatusOr<LlmAnswer> DoComplete(const LlmRequest& request);
  StatusOr<std::string> RequestBody(const LlmRequest& request) const;
  HttpReply Post(const std::string& body);
  Attempt Interpret(HttpReply reply, const LlmRequest& request, int64_t prompt_estimate);
  Attempt ParseAnswer(const std::string& body, const LlmRequest& request, int64_t prompt_estimate);
  Status CheckBudget() const;
  double Backoff(int retry, double retry_after) const;
  // `text` with the API key replaced.
  std::string Safe(std::string text) const {
    ReplaceAll(&text, options_.api_key, kRedacted);
    return text;
  }
  std::string Where() const { return "llm: POST " + shown_endpoint_; }
  CURL* TakeHandle();
  void ReturnHandle(CURL* h);

  const OpenAiClientOptions options_;
  std::string endpoint_;
  std::string shown_endpoint_;  // for messages
  Semaphore slots_;
  LlmUsage usage_;
  std::atomic<int64_t> spent_{0};  // tokens charged to the budget
  std::mutex handles_mu_;
  std::vector<CURL*> handles_;     // idle easy handles, kept for connection reuse
};

StatusOr<std::string> OpenAiClient::RequestBody(const LlmRequest& request) const {
  if (!ValidSchemaName(request.schema_name))
    return Status::InvalidArgument("llm: schema_name must be 1-64 of [A-Za-z0-9_-], got \"" +
                                   Excerpt(request.schema_name) + "\"");
  if (!request.schema.is_object()) return Status::InvalidArgument("llm: the schema must be a JSON object");
  if (request.max_tokens <= 0) return Status::InvalidArgument("llm: max_tokens must be positive");
  Json messages = Json::array();
  if (!request.system.empty())
    messages.push_back(Json::object({{"role", "system"}, {"content", request.system}}));
  messages.push_back(Json::object({{"role", "user"}, {"content", request.user}}));
  Json json_schema = Json::object(
      {{"name", request.schema_name}, {"strict", true}, {"schema", request.schema}});
  Json body = Json::object({
      {"model", options_.model},
      {"messages", messages},
      {"temperature", options_.temperature},
      {"max_tokens", request.max_tokens},
      {"response_format", Json::object({{"type", "json_schema"}, {"json_schema", json_schema}})},
  });
  return DumpJson(body);
}

Status OpenAiClient::CheckBudget() const {
  if (options_.token_budget <= 0) return Status::OK();
  const int64_t spent = spent_.load();
  if (spent < options_.token_budget) return Status::OK();
  return Status::ResourceExhausted("llm: token budget of " + std::to_string(options_.token_budget) +
                                   " spent (" + std::to_string(spent) + " tokens used)");
}

double OpenAiClient::Backoff(int retry, double retry_after) const {
  double delay = options_.backoff_seconds * std::pow(2.0, retry - 1);
  delay = std::max(delay, retry_after);
  return std::max(0.0, std::min(delay, options_.max_backoff_seconds));
}

StatusOr<LlmAnswer> OpenAiClient::DoComplete(const LlmRequest& request) {
  NOVELTA_ASSIGN_OR_RETURN(const std::string body, RequestBody(request));
  const int64_t prompt_estimate = EstimateTokens(request.system.size() + request.user.size());
  const int tries = 1 + std::max(0, options_.max_retries);
  Attempt last;
  for (int i = 0; i < tries; ++i) {
    if (i > 0) {
      const double delay = Backoff(i, last.retry_after);
      spdlog::warn("{}; retry {}/{} in {:.2f} s", Safe(last.status.ToString()), i, tries - 1, delay);
      std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    }
    NOVELTA_RETURN_IF_ERROR(CheckBudget());
    HttpReply reply;
    {
      SemaphoreHold hold(&slots_);
      reply = Post(body);
    }
    usage_.calls.fetch_add(1);
    last = Interpret(std::move(reply), request, prompt_estimate);
    if (last.kind == Attempt::kAnswer) return std::move(last.answer);
    if (last.kind == Attempt::kFail) break;
  }
  // Rebuilt so that the message is scrubbed whatever its code.
  std::string msg = Safe(last.status.message());
  if (last.kind == Attempt::kRetry) msg += " (after " + std::to_string(tries) + " tries)";
  switch (last.status.code()) {
    case Status::Code::kCorruption: return Status::Corruption(msg);
    case Status::Code::kInvalidArgument: return Status::InvalidArgument(msg);
    case Status::Code::kPermissionDenied: return Status::PermissionDenied(msg);
    case Status::Code::kResourceExhausted: return Status::ResourceExhausted(msg);
    case Status::Code::kInternal: return Status::Internal(msg);
    default: return Status::FailedPrecondition(msg);
  }
}

CURL* OpenAiClient::TakeHandle() {
  {
    std::lock_guard<std::mutex> lock(handles_mu_);
    if (!handles_.empty()) {
      CURL* h = handles_.back();
      handles_.pop_back();
      curl_easy_reset(h);
      return h;
    }
  }
  return curl_easy_init();
}

void OpenAiClient::ReturnHandle(CURL* h) {
  std::lock_guard<std::mutex> lock(handles_mu_);
  handles_.push_back(h);
}

HttpReply OpenAiClient::Post(const std::string& body) {
  HttpReply reply;
  CURL* curl = TakeHandle();
  if (!curl) {
    reply.code = CURLE_FAILED_INIT;
    reply.error = "cannot create a curl handle";
    return reply;
  }
  char error[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  if (!options_.api_key.empty())
    headers = curl_slist_append(headers, ("Authorization: Bearer " + options_.api_key).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, endpoint_.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxResponseBytes));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, std::max(1L, std::lround(options_.timeout_seconds * 1000)));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   std::max(1L, std::lround(options_.connect_timeout_seconds * 1000)));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "novelta");
  reply.code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_off_t retry_after = 0;
  if (curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0)
    reply.retry_after = static_cast<double>(retry_after);
  reply.error = error[0] ? error : curl_easy_strerror(reply.code);
  curl_slist_free_all(headers);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  ReturnHandle(curl);
  return reply;
}

OpenAiClient::Attempt OpenAiClient::Interpret(HttpReply reply, const LlmRequest& request,
                                              int64_t prompt_estimate) {
  Attempt a;
  ReplaceAll(&reply.body, options_.api_key, kRedacted);
  if (reply.too_large || reply.code == CURLE_FILESIZE_EXCEEDED) {
    a.status = Status::FailedPrecondition(Where() + ": the response is larger than " +
                                          std::to_string(kMaxResponseBytes >> 20) + " MiB");
    return a;
  }
  if (reply.code != CURLE_OK) {
    a.kind = TransientCurlError(reply.code) ? Attempt::kRetry : Attempt::kFail;
    a.status = Status::FailedPrecondition(Where() + ": " + Safe(reply.error));
    return a;
  }
  const long s = reply.status;
  if (s >= 200 && s < 300) return ParseAnswer(reply.body, request, prompt_estimate);
  const std::string what = Where() + ": HTTP " + std::to_string(s) +
                           (reply.body.empty() ? "" : ": " + Excerpt(reply.body));
  if (s == 429 || s == 408 || s >= 500) {
    a.kind = Attempt::kRetry;
    a.retry_after = reply.retry_after;
    a.status = Status::FailedPrecondition(what);
  } else if (s == 401 || s == 403) {
    a.status = Status::PermissionDenied(what);
  } else if (s >= 400) {
    a.status = Status::InvalidArgument(what);
  } else {
    a.status = Status::FailedPrecondition(what);
  }
  return a;
}

OpenAiClient::Attempt OpenAiClient::ParseAnswer(const std::string& body, const LlmRequest& request,
                                                int64_t prompt_estimate) {
  Attempt a;
  auto invalid = [&](const std::string& why) {
    usage_.invalid_answers.fetch_add(1);
    a.kind = Attempt::kRetry;
    a.status = Status::Corruption(Where() + ": " + why);
    return a;
  };
  auto envelope = ParseJson(body, "response");
  if (!envelope.ok() || !envelope->is_object()) {
    spent_.fetch_add(prompt_estimate);
    return invalid("the response is not a JSON object: " + Excerpt(body));
  }
  // Tokens are charged whatever the answer's worth: they were spent.
  int64_t prompt = 0, completion = 0;
  if (auto u = envelope->find("usage"); u != envelope->end() && u->is_object()) {
    (void)GetInt(*u, "prompt_tokens", "usage", &prompt, false);
    (void)GetInt(*u, "completion_tokens", "usage", &completion, false);
    prompt = std::max<int64_t>(0, prompt);
    completion = std::max<int64_t>(0, completion);
  }
  const Json* content = nullptr;
  const Json* message = nullptr;
  if (auto c = envelope->find("choices"); c != envelope->end() && c->is_array() && !c->empty() &&
                                          (*c)[0].is_object()) {
    auto m = (*c)[0].find("message");
    if (m != (*c)[0].end() && m->is_object()) {
      message = &*m;
      auto t = m->find("content");
      if (t != m->end() && t->is_string()) content = &*t;
    }
  }
  const std::string text = content ? content->get<std::string>() : "";
  usage_.prompt_tokens.fetch_add(prompt);
  usage_.completion_tokens.fetch_add(completion);
  spent_.fetch_add(prompt + completion > 0 ? prompt + completion
                                           : prompt_estimate + EstimateTokens(text.size()));
  if (!content) {
    if (message) {
      auto r = message->find("refusal");
      if (r != message->end() && r->is_string())
        return invalid("the model refused: " + Excerpt(r->get<std::string>()));
    }
    return invalid("the response has no choices[0].message.content string");
  }
  auto answer = ParseJson(text, "the answer");
  if (!answer.ok()) return invalid(answer.status().message() + " (" + Excerpt(text) + ")");
  Status valid = CheckJsonSchema(*answer, request.schema);
  if (valid.IsInvalidArgument()) {  // the request's schema, not the answer, is at fault
    a.status = Status::InvalidArgument("llm: schema '" + request.schema_name + "': " + valid.message());
    return a;
  }
  if (!valid.ok()) return invalid("the answer breaks schema '" + request.schema_name + "': " + valid.message());
  a.kind = Attempt::kAnswer;
  a.answer.content = std::move(*answer);
  a.answer.prompt_tokens = prompt;
  a.answer.completion_tokens = completion;
  return a;
}

}  // namespace

StatusOr<std::unique_ptr<LlmClient>> NewOpenAiClient(const OpenAiClientOptions& options) {
  if (options.base_url.rfind("http://", 0) != 0 && options.base_url.rfind("https://", 0) != 0)
    return Status::InvalidArgument("llm: base_url must start with http:// or https://, got \"" +
                                   Excerpt(WithoutUserInfo(options.base_url)) + "\"");
  if (options.model.empty()) return Status::InvalidArgument("llm: no model given");
  if (options.api_key.find_first_of("\r\n") != std::string::npos)
    return Status::InvalidArgument("llm: the API key holds a line break");
  if (!(options.timeout_seconds > 0) || !(options.connect_timeout_seconds > 0))
    return Status::InvalidArgument("llm: timeouts must be positive");
  if (options.max_concurrency < 1) return Status::InvalidArgument("llm: max_concurrency must be at least 1");
  if (CURLcode rc = GlobalInit(); rc != CURLE_OK)
    return Status::FailedPrecondition(std::string("llm: cannot initialise libcurl: ") + curl_easy_strerror(rc));
  return std::unique_ptr<LlmClient>(new OpenAiClient(options));
}

}  // namespace novelta
