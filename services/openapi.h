// Inside NoveltyService (not for other callers): what the OpenAPI document
// (GET /openapi.json, NoveltyService::OpenApiDocument in openapi.cc) is
// written from besides the route table.
//
// Thread-safety: pure functions.
#ifndef NOVELTA_SERVICES_OPENAPI_H_
#define NOVELTA_SERVICES_OPENAPI_H_

#include <string_view>

#include "base/json.h"

namespace novelta {
namespace service_internal {

// The text of docs/report.schema.json, embedded in the binary when it is
// built (services/CMakeLists.txt writes openapi_report_schema.cc from
// openapi_report_schema.cc.in), so that the report's schema has one source.
std::string_view ReportSchemaText();

// components/schemas/NoveltyReport: docs/report.schema.json without its
// "$id" and "$schema", which name the file itself; in the document it is
// identified by its place and read in the document's dialect (JSON Schema
// 2020-12 with OpenAPI's vocabulary).
Json ReportSchema();

}  // namespace service_internal
}  // namespace novelta

#endif  // NOVELTA_SERVICES_OPENAPI_H_
