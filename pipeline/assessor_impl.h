// The assessor over an index already open: for components that share one
// index between the assessor and their own use (the evaluation harness).
// Library users open an assessor with OpenAssessor (novelta/assessor.h).
//
// Thread-safety: as Assessor.
#ifndef NOVELTA_PIPELINE_ASSESSOR_IMPL_H_
#define NOVELTA_PIPELINE_ASSESSOR_IMPL_H_

#include <memory>

#include "index/paper_index.h"
#include "novelta/assessor.h"

namespace novelta {

// InvalidArgument for an unknown engine or an LLM engine without its URL or model.
StatusOr<std::unique_ptr<Assessor>> NewAssessor(std::shared_ptr<const PaperIndex> index,
                                                const AssessorOptions& options = {});

}  // namespace novelta

#endif  // NOVELTA_PIPELINE_ASSESSOR_IMPL_H_
