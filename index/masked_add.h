// Adding weights to the scores of the rows bitmaps mark: the word index's
// way to apply the words that occur in a large share of the rows, where a
// bit per row is smaller than a list of rows, 16 rows take one vector
// instruction, and all such words of a query go in one pass over the scores.
//
// Thread-safety: pure functions.
#ifndef NOVELTA_INDEX_MASKED_ADD_H_
#define NOVELTA_INDEX_MASKED_ADD_H_

#include <cstddef>
#include <cstdint>

namespace novelta {

// For each bitmap m in turn (0 first), for every set bit b of it:
// acc[b] += weights[m]. Bit b is bit b % 64 of bitmaps[m][b / 64]; each
// bitmap has n_words words and acc at least 64 * n_words floats. Every
// version makes the same float additions in the same order, so the sums are
// identical.
using AddWhereBitsSetFn = void (*)(float* acc, const uint64_t* const* bitmaps, const float* weights,
                                   size_t n_bitmaps, size_t n_words);

// The fastest version this CPU runs (AVX-512 where it has it), chosen once.
AddWhereBitsSetFn AddWhereBitsSet();

// Whether AddWhereBitsSet() uses vector instructions. The portable version
// adds a bitmap's rows one by one, slower than reading the same rows from a
// list of postings, so without a vector version the word index keeps no
// bitmaps. The figures, and the versions measured and dropped: bench/README.md.
bool AddWhereBitsSetIsVectorized();

// The versions, for tests and benchmarks. Avx512 is null when the CPU (or
// the compiler) lacks it.
void AddWhereBitsSetPortable(float* acc, const uint64_t* const* bitmaps, const float* weights, size_t n_bitmaps,
                             size_t n_words);
AddWhereBitsSetFn AddWhereBitsSetAvx512();

}  // namespace novelta

#endif  // NOVELTA_INDEX_MASKED_ADD_H_
