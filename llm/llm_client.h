// LlmClient: one structured answer from a language model. The optional LLM
// engine (pipeline/, --engine llm) asks through this interface only, so its
// stages are tested against a fake server and never need a model.
//
// Implementations compose by wrapping (as FAISS indexes do):
//   OpenAiClient   - POST {base_url}/chat/completions of an OpenAI-compatible
//                    server (vLLM, llama.cpp's server, Ollama, a hosted API),
//                    with timeouts, retries, a concurrency limit and a token
//                    budget;
//   CachedClient   - answers kept in SQLite, keyed by the model and a hash of
//                    the request, so a re-run is free and repeatable.
//
// Every answer is JSON, parsed strictly and validated against the request's
// JSON schema before it is returned: a caller never sees an answer that
// breaks its schema.
//
// Thread-safety: all implementations may be called concurrently.
#ifndef NOVELTA_LLM_LLM_CLIENT_H_
#define NOVELTA_LLM_LLM_CLIENT_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "base/json.h"
#include "novelta/status.h"

namespace novelta {

struct LlmRequest {
  std::string system;       // the system message
  std::string user;         // the user message
  std::string schema_name;  // names the schema in response_format ([A-Za-z0-9_-]+)
  Json schema;              // JSON schema the answer must satisfy (strict)
  int max_tokens = 2048;    // completion tokens at most
};

struct LlmAnswer {
  Json content;              // the model's answer, valid against the request's schema
  int64_t prompt_tokens = 0;      // as the server counted them (0 when it did not say)
  int64_t completion_tokens = 0;
  bool cached = false;       // from the cache, no call made
};

// Counters of one client over its life, for the report's `engine` object.
struct LlmUsage {
  std::atomic<int64_t> calls{0};              // HTTP requests made, retries included
  std::atomic<int64_t> prompt_tokens{0};
  std::atomic<int64_t> completion_tokens{0};
  std::atomic<int64_t> cache_hits{0};
  std::atomic<int64_t> invalid_answers{0};    // not JSON, or against the schema
};

class LlmClient {
 public:
  virtual ~LlmClient() = default;
  // Errors: InvalidArgument for a request that cannot be sent (or that the
  // server refuses with a 4xx other than 401, 403, 408 and 429: an unknown
  // model, a schema it does not take); PermissionDenied when it refuses the
  // key (401, 403); Unavailable-like failures (connection refused, timeouts,
  // 408, 429 and 5xx after the last retry, a response over 8 MiB) are
  // FailedPrecondition; an answer that is not JSON or breaks the schema after
  // the last retry is Corruption; a spent token budget is ResourceExhausted.
  // The API key never appears in a message, a log line or an answer.
  virtual StatusOr<LlmAnswer> Complete(const LlmRequest& request) = 0;
  // The model answers come from ("" when unknown).
  virtual std::string model() const = 0;
  virtual const LlmUsage& usage() const = 0;
};

struct OpenAiClientOptions {
  // Base URL, e.g. "http://127.0.0.1:8000/v1"; "/chat/completions" is
  // appended. Required.
  std::string base_url;
  // The model name sent in each request. Required.
  std::string model;
  // Bearer token; "" sends none. Read by the caller from NOVELTA_LLM_API_KEY;
  // never logged. Default: "".
  std::string api_key;
  // Longest time for one HTTP request, connect included. Default: 120 s.
  double timeout_seconds = 120;
  // Connect timeout. Default: 10 s.
  double connect_timeout_seconds = 10;
  // Tries after the first on a connection failure, a timeout, 429, 5xx, or
  // an answer that is not valid JSON for the schema. Default: 3.
  int max_retries = 3;
  // Backoff before retry i (1-based): backoff_seconds * 2^(i-1), at most
  // max_backoff_seconds; a Retry-After header (seconds or an HTTP date) on
  // 408, 429 or 5xx is honoured instead when longer (at most
  // max_backoff_seconds). Default: 1 s, 30 s.
  double backoff_seconds = 1;
  double max_backoff_seconds = 30;
  // Requests in flight at once from this client; others wait. Default: 4.
  int max_concurrency = 4;
  // Prompt plus completion tokens this client may spend (0: no limit). Past
  // it, Complete fails with ResourceExhausted without calling. Each response
  // is charged the server's usage figures or, when it gives none, an
  // estimate of one token per 4 bytes of the messages and of the answer.
  // Checked before each HTTP request: callers running concurrently may pass
  // it by what their requests in flight spend. Default: 0.
  int64_t token_budget = 0;
  // Sampling temperature. Default: 0 (repeatable).
  double temperature = 0;
};

// The OpenAI-compatible client. The request body holds model, messages
// (system, when not empty, then user), temperature, max_tokens and
// response_format {"type": "json_schema", "json_schema": {"name",
// "strict": true, "schema"}}; the answer is choices[0].message.content,
// parsed as JSON (at most kDefaultMaxJsonDepth deep) and checked with
// CheckJsonSchema. Responses are read up to 8 MiB. InvalidArgument for a
// missing base_url or model, a base_url that is not http(s)://, an API key
// with a line break, non-positive timeouts or max_concurrency.
StatusOr<std::unique_ptr<LlmClient>> NewOpenAiClient(const OpenAiClientOptions& options);

// Wraps `inner` with a cache in the SQLite file `path` (created if needed,
// WAL mode; several processes may share it). The key is the SHA-256 of the
// inner model and the request (system, user, schema_name, schema,
// max_tokens); the inner client's sampling settings are not part of it. A
// hit returns the stored answer and its token counts (cached = true) without
// calling `inner` and counts in usage().cache_hits; the other counters are
// the inner client's. Only valid answers are stored.
StatusOr<std::unique_ptr<LlmClient>> NewCachedClient(std::unique_ptr<LlmClient> inner, const std::string& path);

// Checks `value` against `schema`: the subset of JSON Schema the engine's
// schemas use (type, properties, required, additionalProperties: false,
// items, enum, minimum, maximum, minItems, maxItems, maxLength). Corruption
// naming the first violation's path ("claims[2].verdict: not one of ...").
Status CheckJsonSchema(const Json& value, const Json& schema);

}  // namespace novelta

#endif  // NOVELTA_LLM_LLM_CLIENT_H_
