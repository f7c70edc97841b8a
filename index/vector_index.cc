#include "index/vector_index.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexRefine.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/index_io.h>
#include <faiss/invlists/OnDiskInvertedLists.h>

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <random>

namespace novelta {

// The 8-bit copy of a flat index's vectors. Each dimension j is scaled by
// scale[j] = max |x_j| / 127 and rounded to int8. Rows are stored in blocks of
// 16: for every 4 dimensions, the 16 rows' 4 bytes lie side by side (64
// bytes), so one VNNI instruction adds 4 dimensions of 16 rows into 16 lanes
// and no horizontal sums are needed.
struct VectorIndex::FlatScan {
  static constexpr int kLanes = 16;
  int dim = 0;
  int dim_pad = 0;   // dim rounded up to a multiple of 4 (zero codes beyond dim)
  size_t n = 0;
  size_t blocks = 0;
  std::vector<float> scale;        // per dimension
  std::vector<int8_t> codes;       // blocks * dim_pad * kLanes bytes
  std::vector<int32_t> row_sums;   // per row (padded to blocks * kLanes): sum of its codes
};

namespace {

using FlatScan = VectorIndex::FlatScan;

// Scores one block of 16 rows against a query quantized to bytes (u[j] =
// q[j] + 128, scale t): score[r] = t * (sum_j u[j] * code[r][j] - 128 *
// row_sum[r]). Returns the mask of lanes scoring above `threshold`.
__attribute__((target("avx512f,avx512bw,avx512vnni"))) uint32_t BlockScoresVnni(
    const uint8_t* u, const int8_t* block, int groups, const int32_t* row_sums, float t,
    float threshold, float* scores) {
  // Four independent sums, so consecutive instructions do not wait on each other.
  __m512i acc[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(),
                    _mm512_setzero_si512()};
  int g = 0;
  for (; g + 4 <= groups; g += 4)
    for (int i = 0; i < 4; ++i) {
      int32_t q4;
      std::memcpy(&q4, u + 4 * (g + i), 4);
      acc[i] = _mm512_dpbusd_epi32(acc[i], _mm512_set1_epi32(q4),
                                   _mm512_loadu_si512(block + 64 * static_cast<size_t>(g + i)));
    }
  for (; g < groups; ++g) {
    int32_t q4;
    std::memcpy(&q4, u + 4 * g, 4);
    acc[0] = _mm512_dpbusd_epi32(acc[0], _mm512_set1_epi32(q4),
                                 _mm512_loadu_si512(block + 64 * static_cast<size_t>(g)));
  }
  __m512i a = _mm512_add_epi32(_mm512_add_epi32(acc[0], acc[1]), _mm512_add_epi32(acc[2], acc[3]));
  a = _mm512_sub_epi32(a, _mm512_maskz_slli_epi32(0xFFFF, _mm512_loadu_si512(row_sums), 7));
  const __m512 sc = _mm512_mul_ps(_mm512_maskz_cvtepi32_ps(0xFFFF, a), _mm512_set1_ps(t));
  _mm512_storeu_ps(scores, sc);
  return _mm512_cmp_ps_mask(sc, _mm512_set1_ps(threshold), _CMP_GT_OQ);
}

// The same in portable code (compiled for AVX2 and baseline x86-64).
__attribute__((target_clones("avx2", "default"))) uint32_t BlockScoresPortable(
    const uint8_t* u, const int8_t* block, int groups, const int32_t* row_sums, float t,
    float threshold, float* scores) {
  int32_t a[16] = {0};
  for (int g = 0; g < groups; ++g) {
    const int8_t* c = block + 64 * static_cast<size_t>(g);
    for (int r = 0; r < 16; ++r)
      for (int b = 0; b < 4; ++b) a[r] += static_cast<int32_t>(u[4 * g + b]) * c[4 * r + b];
  }
  uint32_t mask = 0;
  for (int r = 0; r < 16; ++r) {
    scores[r] = t * static_cast<float>(a[r] - 128 * row_sums[r]);
    if (scores[r] > threshold) mask |= 1u << r;
  }
  return mask;
}

using BlockScoresFn = uint32_t (*)(const uint8_t*, const int8_t*, int, const int32_t*, float,
                                   float, float*);

BlockScoresFn ChooseBlockScores() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vnni"))
    return BlockScoresVnni;
  return BlockScoresPortable;
}

// Inner product in 16 independent partial sums, so the compiler can use
// vector registers without reordering any one sum (built for AVX-512, AVX2
// and baseline x86-64, chosen at load time).
__attribute__((target_clones("avx512f", "avx2", "default"))) float Dot(const float* a,
                                                                      const float* b, int d) {
  float part[16] = {0};
  int j = 0;
  for (; j + 16 <= d; j += 16)
    for (int l = 0; l < 16; ++l) part[l] += a[j + l] * b[j + l];
  float s = 0;
  for (; j < d; ++j) s += a[j] * b[j];
  for (int l = 0; l < 16; ++l) s += part[l];
  return s;
}

// Best first; ties by row (so results do not depend on scan order).
bool Better(const SearchHit& a, const SearchHit& b) {
  return a.score != b.score ? a.score > b.score : a.row < b.row;
}

// Keeps the best `keep` of `hits` (best first).
void KeepBest(std::vector<SearchHit>* hits, size_t keep) {
  if (hits->size() > keep) {
    std::nth_element(hits->begin(), hits->begin() + keep, hits->end(), Better);
    hits->resize(keep);
  }
  std::sort(hits->begin(), hits->end(), Better);
}

std::unique_ptr<FlatScan> MakeFlatScan(const float* x, size_t n, int dim) {
  auto fs = std::make_unique<FlatScan>();
  fs->dim = dim;
  fs->dim_pad = (dim + 3) / 4 * 4;
  fs->n = n;
  fs->blocks = (n + FlatScan::kLanes - 1) / FlatScan::kLanes;
  fs->scale.assign(dim, 0.f);
  for (size_t i = 0; i < n; ++i)
    for (int j = 0; j < dim; ++j) fs->scale[j] = std::max(fs->scale[j], std::fabs(x[i * dim + j]));
  for (float& s : fs->scale) s /= 127.f;
  const int groups = fs->dim_pad / 4;
  fs->codes.assign(fs->blocks * groups * 64, 0);
  fs->row_sums.assign(fs->blocks * FlatScan::kLanes, 0);
  for (size_t i = 0; i < n; ++i) {
    const size_t b = i / FlatScan::kLanes, r = i % FlatScan::kLanes;
    int32_t sum = 0;
    for (int j = 0; j < dim; ++j) {
      const float s = fs->scale[j];
      int c = s > 0 ? static_cast<int>(std::lround(x[i * dim + j] / s)) : 0;
      c = std::max(-127, std::min(127, c));
      fs->codes[(b * groups + j / 4) * 64 + r * 4 + j % 4] = static_cast<int8_t>(c);
      sum += c;
    }
    fs->row_sums[i] = sum;
  }
  return fs;
}

// For each of `nq` queries, the `keep` best rows of the 8-bit scan
// (approximate scores, best first; empty for an all-zero query).
std::vector<std::vector<SearchHit>> ScanQuantized(const FlatScan& fs, const float* queries,
                                                  size_t nq, size_t keep) {
  static const BlockScoresFn block_scores = ChooseBlockScores();
  struct QueryState {
    std::vector<uint8_t> u;  // the query in bytes, + 128
    float t = 0;             // its scale
    // Rows scoring at or below this cannot enter the best `keep`; the
    // candidates are cut back to `keep` whenever they reach twice that.
    float threshold = -std::numeric_limits<float>::infinity();
    std::vector<SearchHit> cand;
  };
  std::vector<QueryState> st(nq);
  std::vector<float> qs(fs.dim);
  for (size_t q = 0; q < nq; ++q) {
    // Fold the per-dimension scales into the query, then quantize it with one scale.
    float qmax = 0;
    for (int j = 0; j < fs.dim; ++j)
      qmax = std::max(qmax, std::fabs(qs[j] = queries[q * fs.dim + j] * fs.scale[j]));
    if (qmax == 0) continue;
    st[q].t = qmax / 127.f;
    st[q].u.assign(fs.dim_pad, 128);
    for (int j = 0; j < fs.dim; ++j)
      st[q].u[j] = static_cast<uint8_t>(
          std::max(-127L, std::min(127L, std::lround(qs[j] / st[q].t))) + 128);
    st[q].cand.reserve(2 * keep + FlatScan::kLanes);
  }
  const int groups = fs.dim_pad / 4;
  const size_t block_bytes = static_cast<size_t>(groups) * 64;
  // Blocks are visited in chunks that stay in cache while every query scans them.
  const size_t chunk = std::max<size_t>(1, (256u << 10) / block_bytes);
  alignas(64) float scores[FlatScan::kLanes];
  for (size_t b0 = 0; b0 < fs.blocks; b0 += chunk) {
    const size_t b1 = std::min(fs.blocks, b0 + chunk);
    for (auto& s : st) {
      if (s.t == 0) continue;
      for (size_t b = b0; b < b1; ++b) {
        const size_t base = b * FlatScan::kLanes;
        uint32_t mask = block_scores(s.u.data(), fs.codes.data() + b * block_bytes, groups,
                                     fs.row_sums.data() + base, s.t, s.threshold, scores);
        if (fs.n - base < FlatScan::kLanes) mask &= (1u << (fs.n - base)) - 1;  // padding rows
        while (mask != 0) {
          const int r = __builtin_ctz(mask);
          mask &= mask - 1;
          s.cand.push_back({static_cast<int64_t>(base + r), scores[r]});
        }
        if (s.cand.size() >= 2 * keep) {
          std::nth_element(s.cand.begin(), s.cand.begin() + (keep - 1), s.cand.end(), Better);
          s.threshold = s.cand[keep - 1].score;
          s.cand.resize(keep);
        }
      }
    }
  }
  std::vector<std::vector<SearchHit>> out(nq);
  for (size_t q = 0; q < nq; ++q) {
    KeepBest(&st[q].cand, keep);
    out[q] = std::move(st[q].cand);
  }
  return out;
}

// Below this many vectors an 8-bit product quantizer cannot be trained.
constexpr size_t kMinPqTrainingVectors = 256;

// The IVF-PQ base of an "ivfpq" index (a refine wrapper around an IndexIVFPQ).
faiss::IndexIVFPQ* IvfPqOf(faiss::Index* index) {
  if (auto* refine = dynamic_cast<faiss::IndexRefine*>(index))
    return dynamic_cast<faiss::IndexIVFPQ*>(refine->base_index);
  return nullptr;
}

int DivisorAtMost(int dim, int want) {
  for (int m = std::max(1, std::min(want, dim)); m > 1; --m)
    if (dim % m == 0) return m;
  return 1;
}

StatusOr<std::unique_ptr<faiss::Index>> BuildIvfPq(const float* vectors, size_t n, int dim,
                                                   const VectorIndexOptions& options) {
  if (n < kMinPqTrainingVectors)
    return Status::InvalidArgument("vector index: ivfpq needs at least " +
                                   std::to_string(kMinPqTrainingVectors) + " vectors to train (got " +
                                   std::to_string(n) + "); use flat");
  int nlist = options.ivf_nlist;
  if (nlist <= 0) nlist = static_cast<int>(std::lround(std::sqrt(static_cast<double>(n))));
  // k-means needs several points per centroid.
  nlist = std::max(1, std::min({nlist, 65536, static_cast<int>(n / 8)}));
  const int m = DivisorAtMost(dim, options.pq_m);

  auto* quantizer = new faiss::IndexFlatIP(dim);
  auto* ivfpq = new faiss::IndexIVFPQ(quantizer, dim, nlist, m, 8, faiss::METRIC_INNER_PRODUCT);
  ivfpq->own_fields = true;
  ivfpq->nprobe = static_cast<size_t>(std::max(1, std::min(options.ivf_nprobe, nlist)));
  ivfpq->cp.seed = static_cast<int>(options.seed);
  ivfpq->pq.cp.seed = static_cast<int>(options.seed);
  auto* sq8 = new faiss::IndexScalarQuantizer(dim, faiss::ScalarQuantizer::QT_8bit,
                                              faiss::METRIC_INNER_PRODUCT);
  auto refine = std::make_unique<faiss::IndexRefine>(ivfpq, sq8);
  refine->own_fields = true;
  refine->own_refine_index = true;
  refine->k_factor = std::max(1.f, options.refine_k_factor);

  // Train on a seeded sample: k-means and PQ need a representative set, not all of it.
  const size_t n_train = std::min(n, std::max(options.train_max_vectors, kMinPqTrainingVectors));
  if (n_train == n) {
    refine->train(static_cast<faiss::Index::idx_t>(n), vectors);
  } else {
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(options.seed);
    for (size_t i = 0; i < n_train; ++i)  // partial Fisher-Yates: the first n_train are a sample
      std::swap(order[i], order[i + rng() % (n - i)]);
    std::vector<float> sample(n_train * static_cast<size_t>(dim));
    for (size_t i = 0; i < n_train; ++i)
      std::copy_n(vectors + order[i] * dim, dim, sample.begin() + i * dim);
    refine->train(static_cast<faiss::Index::idx_t>(n_train), sample.data());
  }
  refine->add(static_cast<faiss::Index::idx_t>(n), vectors);
  return std::unique_ptr<faiss::Index>(std::move(refine));
}

}  // namespace

VectorIndex::~VectorIndex() = default;

std::string VectorIndex::ResolveType(const VectorIndexOptions& options, size_t n) {
  if (options.type != "auto") return options.type;
  return n < options.auto_approximate_from ? "flat" : "ivfpq";
}

StatusOr<std::unique_ptr<VectorIndex>> VectorIndex::Build(const float* vectors, size_t n, int dim,
                                                          const VectorIndexOptions& options) {
  if (dim <= 0) return Status::InvalidArgument("vector index: dimension must be > 0");
  const std::string type = ResolveType(options, n);
  auto vi = std::unique_ptr<VectorIndex>(new VectorIndex());
  vi->type_ = type;
  vi->ef_search_ = options.hnsw_ef_search;
  try {
    if (type == "flat") {
      vi->index_ = std::make_unique<faiss::IndexFlatIP>(dim);
      if (n > 0) vi->index_->add(static_cast<faiss::Index::idx_t>(n), vectors);
      vi->PrepareFlatScan();
    } else if (type == "hnsw") {
      auto hnsw = std::make_unique<faiss::IndexHNSWFlat>(dim, options.hnsw_m,
                                                         faiss::METRIC_INNER_PRODUCT);
      hnsw->hnsw.efConstruction = options.hnsw_ef_construction;
      hnsw->hnsw.efSearch = options.hnsw_ef_search;
      vi->index_ = std::move(hnsw);
      if (n > 0) vi->index_->add(static_cast<faiss::Index::idx_t>(n), vectors);
    } else if (type == "ivfpq") {
      NOVELTA_ASSIGN_OR_RETURN(vi->index_, BuildIvfPq(vectors, n, dim, options));
    } else {
      return Status::InvalidArgument("vector index: unknown type '" + type +
                                     "' (expected auto, flat, hnsw or ivfpq)");
    }
  } catch (const std::exception& e) {
    return Status::Internal(std::string("vector index build failed: ") + e.what());
  }
  return vi;
}

StatusOr<std::unique_ptr<VectorIndex>> VectorIndex::Load(const std::string& path,
                                                         const VectorLoadOptions& options) {
  auto vi = std::unique_ptr<VectorIndex>(new VectorIndex());
  vi->flat_quantized_from_ = options.flat_quantized_from;
  vi->flat_rerank_factor_ = std::max(1.f, options.flat_rerank_factor);
  try {
    // The mmap flag only changes how IVF inverted lists are read; other
    // index types load the same way with or without it.
    vi->index_.reset(faiss::read_index(path.c_str(), options.mmap ? faiss::IO_FLAG_MMAP : 0));
  } catch (const std::exception& e) {
    return Status::Corruption(path + ": unreadable vector index: " + e.what());
  }
  if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(vi->index_.get())) {
    vi->type_ = "hnsw";
    if (options.hnsw_ef_search > 0) hnsw->hnsw.efSearch = options.hnsw_ef_search;
    vi->ef_search_ = hnsw->hnsw.efSearch;
  } else if (auto* ivfpq = IvfPqOf(vi->index_.get())) {
    vi->type_ = "ivfpq";
    vi->mmapped_ = dynamic_cast<faiss::OnDiskInvertedLists*>(ivfpq->invlists) != nullptr;
    if (options.ivf_nprobe > 0)
      ivfpq->nprobe = std::min<size_t>(options.ivf_nprobe, ivfpq->nlist);
    if (options.refine_k_factor > 0)
      static_cast<faiss::IndexRefine*>(vi->index_.get())->k_factor =
          std::max(1.f, options.refine_k_factor);
  } else if (dynamic_cast<faiss::IndexFlat*>(vi->index_.get()) != nullptr) {
    vi->type_ = "flat";
    vi->PrepareFlatScan();
  } else {
    return Status::Corruption(path + ": a FAISS index of a kind novelta does not build");
  }
  if (vi->index_->metric_type != faiss::METRIC_INNER_PRODUCT)
    return Status::Corruption(path + ": vector index does not use inner product");
  return vi;
}

Status VectorIndex::Save(const std::string& path) const {
  try {
    faiss::write_index(index_.get(), path.c_str());
  } catch (const std::exception& e) {
    return Status::IOError(path + ": cannot write vector index: " + e.what());
  }
  return Status::OK();
}

Status VectorIndex::Add(const float* vectors, size_t n) {
  if (n == 0) return Status::OK();
  if (mmapped_)
    return Status::FailedPrecondition(
        "vector index: cannot add to a memory-mapped index (load it with mmap off)");
  try {
    index_->add(static_cast<faiss::Index::idx_t>(n), vectors);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("vector index add failed: ") + e.what());
  }
  PrepareFlatScan();
  return Status::OK();
}

void VectorIndex::PrepareFlatScan() {
  flat_scan_.reset();
  auto* flat = dynamic_cast<faiss::IndexFlat*>(index_.get());
  if (flat == nullptr || static_cast<size_t>(flat->ntotal) < flat_quantized_from_) return;
  flat_scan_ = MakeFlatScan(flat->get_xb(), static_cast<size_t>(flat->ntotal), flat->d);
}

std::vector<std::vector<SearchHit>> VectorIndex::SearchExact(const float* queries, size_t nq,
                                                             int k) const {
  std::vector<std::vector<SearchHit>> out(nq);
  auto* flat = dynamic_cast<const faiss::IndexFlat*>(index_.get());
  if (flat == nullptr || k <= 0) return out;
  const float* x = flat->get_xb();
  const int d = flat->d;
  const size_t n = static_cast<size_t>(flat->ntotal);
  for (size_t q = 0; q < nq; ++q) {
    std::vector<SearchHit> all(n);
    for (size_t i = 0; i < n; ++i)
      all[i] = {static_cast<int64_t>(i), Dot(queries + q * d, x + i * d, d)};
    KeepBest(&all, std::min<size_t>(n, k));
    out[q] = std::move(all);
  }
  return out;
}

std::vector<std::vector<SearchHit>> VectorIndex::Search(const float* queries, size_t nq,
                                                        int k) const {
  std::vector<std::vector<SearchHit>> out(nq);
  if (nq == 0 || k <= 0 || index_->ntotal == 0) return out;
  k = static_cast<int>(std::min<int64_t>(k, index_->ntotal));
  if (type_ == "flat") {
    if (flat_scan_ == nullptr) return SearchExact(queries, nq, k);
    // 8-bit scan, then the candidates re-scored exactly.
    auto* flat = static_cast<const faiss::IndexFlat*>(index_.get());
    const float* x = flat->get_xb();
    const int d = flat->d;
    const size_t keep = std::min<size_t>(
        flat_scan_->n, std::max<size_t>(static_cast<size_t>(k) + 32,
                                        static_cast<size_t>(std::ceil(k * flat_rerank_factor_))));
    auto cands = ScanQuantized(*flat_scan_, queries, nq, keep);
    for (size_t q = 0; q < nq; ++q) {
      const float* qv = queries + q * d;
      if (cands[q].empty()) {  // an all-zero query: every score is 0
        out[q] = SearchExact(qv, 1, k)[0];
        continue;
      }
      for (auto& h : cands[q]) h.score = Dot(qv, x + h.row * d, d);
      KeepBest(&cands[q], static_cast<size_t>(k));
      out[q] = std::move(cands[q]);
    }
    return out;
  }
  std::vector<float> dist(nq * k);
  std::vector<faiss::Index::idx_t> labels(nq * k);
  if (auto* hnsw = dynamic_cast<faiss::IndexHNSW*>(index_.get())) {
    faiss::SearchParametersHNSW params;
    params.efSearch = std::max(ef_search_, k);
    hnsw->search(static_cast<faiss::Index::idx_t>(nq), queries, k, dist.data(), labels.data(),
                 &params);
  } else {
    index_->search(static_cast<faiss::Index::idx_t>(nq), queries, k, dist.data(), labels.data());
  }
  for (size_t q = 0; q < nq; ++q) {
    for (int i = 0; i < k; ++i) {
      auto label = labels[q * k + i];
      if (label < 0) continue;
      out[q].push_back({label, dist[q * k + i]});
    }
  }
  return out;
}

size_t VectorIndex::size() const { return static_cast<size_t>(index_->ntotal); }
int VectorIndex::dim() const { return index_->d; }

}  // namespace novelta
