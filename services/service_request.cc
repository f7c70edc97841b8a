#include "services/service_request.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "base/text.h"
#ifdef NOVELTA_HAVE_INGEST
#include "pipeline/ingest/ingest.h"
#endif

namespace novelta {
namespace service_internal {
namespace {

// The submission in a request body, by Content-Type. `media` is set for error mapping.
StatusOr<Submission> SubmissionFromBody(const HttpRequest& req, const std::string& media,
                                        [[maybe_unused]] const IngestLimits& limits) {
  if (media == "application/json") {
    NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(req.body, "request body"));
    return SubmissionFromRequestJson(j, "request body");
  }
#ifdef NOVELTA_HAVE_INGEST
  StatusOr<Submission> parsed = Status::Internal("unreachable");
  if (media == "application/pdf") parsed = ParsePdfSubmission(req.body, "uploaded PDF", limits);
  else parsed = ParseMarkdownSubmission(req.body, "uploaded Markdown", limits);
  if (!parsed.ok()) return parsed.status();
  Submission s = std::move(*parsed);
  if (const std::string* id = req.Query("external_id")) s.id = *id;
  if (const std::string* d = req.Query("submitted")) {
    auto date = Date::Parse(*d);
    if (!date.ok()) return Status::InvalidArgument("query parameter 'submitted' must be a date like 2025-05-15");
    s.submitted = *date;
  }
  s.source = "request";
  return s;
#else
  return Status::FailedPrecondition("this build cannot read " + media + " uploads");
#endif
}

}  // namespace

bool ValidRequestId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

std::string MediaType(const HttpRequest& req) {
  std::string ct = req.Header("Content-Type");
  size_t semi = ct.find(';');
  if (semi != std::string::npos) ct.resize(semi);
  return ToLowerAscii(Trim(ct));
}

std::string PresentedKey(const HttpRequest& req) {
  std::string auth = req.Header("Authorization");
  if (auth.size() > 7 && ToLowerAscii(auth.substr(0, 7)) == "bearer ") return std::string(Trim(auth.substr(7)));
  return std::string(Trim(req.Header("X-API-Key")));
}

StatusOr<int> IntParam(const HttpRequest& req, const char* name, int def, int lo, int hi) {
  const std::string* v = req.Query(name);
  if (!v) return def;
  char* end = nullptr;
  errno = 0;
  long x = std::strtol(v->c_str(), &end, 10);
  if (v->empty() || *end != '\0' || errno != 0 || x < lo || x > hi) {
    return Status::InvalidArgument("query parameter '" + std::string(name) + "' must be an integer in " +
                                   std::to_string(lo) + ".." + std::to_string(hi));
  }
  return static_cast<int>(x);
}

StatusOr<Submission> SubmissionFromRequestJson(const Json& j, const std::string& what) {
  if (!j.is_object()) return Status::InvalidArgument(what + ": must be a JSON object");
  for (const char* field : {"title", "abstract", "fulltext", "submitted", "external_id"}) {
    auto it = j.find(field);
    if (it != j.end() && !it->is_string() && !it->is_null()) {
      return Status::InvalidArgument(what + ": field '" + field + "' must be a string");
    }
  }
  auto str = [&](const char* field) {
    auto it = j.find(field);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (Trim(str("title")).empty()) return Status::InvalidArgument(what + ": field 'title' is required");
  if (Trim(str("abstract")).empty() && Trim(str("fulltext")).empty()) {
    return Status::InvalidArgument(what + ": field 'abstract' is required");
  }
  Date submitted;
  if (!str("submitted").empty()) {
    auto d = Date::Parse(str("submitted"));
    if (!d.ok()) {
      return Status::InvalidArgument(what + ": field 'submitted' must be a date like 2025-05-15: " +
                                     d.status().message());
    }
    submitted = *d;
  }
#ifdef NOVELTA_HAVE_INGEST
  Json core = {{"title", str("title")}, {"abstract", str("abstract")}};
  if (!str("fulltext").empty()) core["fulltext"] = str("fulltext");
  if (submitted.known()) core["submitted"] = submitted.ToString();
  NOVELTA_ASSIGN_OR_RETURN(Submission s, ParseSubmissionJsonValue(core, what));
#else
  Submission s;
  s.title = str("title");
  s.abstract = str("abstract");
  s.fulltext = str("fulltext");
  s.format = "json";
#endif
  s.title = SanitizeUtf8(s.title);
  s.abstract = SanitizeUtf8(s.abstract);
  s.submitted = submitted;
  s.id = str("external_id");
  s.source = "request";
  return s;
}

bool SupportedUpload(const std::string& media) {
  return media == "application/json" || media == "application/pdf" || media == "text/markdown";
}

std::string UploadMediaType(NoveltyService::Context& ctx) {
  std::string media = MediaType(ctx.req);
  if (SupportedUpload(media)) return media;
  ctx.Problem(415, "unsupported-media-type", "Unsupported media type",
              "Content-Type must be application/json, application/pdf or text/markdown, got '" + media + "'");
  return "";
}

bool ReadSubmission(NoveltyService::Context& ctx, const std::string& media, const IngestLimits& limits,
                    Submission* out) {
  auto submission = SubmissionFromBody(ctx.req, media, limits);
  if (!submission.ok()) {
    if (submission.status().code() == Status::Code::kFailedPrecondition) {
      ctx.Problem(415, "unsupported-media-type", "Unsupported media type", submission.status().message());
    } else {
      ctx.Problem(400, "invalid-request", "The request is invalid", submission.status().message());
    }
    return false;
  }
  *out = std::move(*submission);
  return true;
}

}  // namespace service_internal
}  // namespace novelta
