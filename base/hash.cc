#include "base/hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>

namespace novelta {
namespace {

std::string ToHex(const unsigned char* d, unsigned int n) {
  static const char* kHex = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (unsigned int i = 0; i < n; ++i) {
    out[2 * i] = kHex[d[i] >> 4];
    out[2 * i + 1] = kHex[d[i] & 15];
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  return ToHex(md, n);
}

StatusOr<std::string> Sha256File(const std::string& path, Env* env) {
  std::unique_ptr<SequentialFile> file;
  NOVELTA_RETURN_IF_ERROR(env->NewSequentialFile(path, &file));
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  constexpr size_t kPiece = 1 << 16;
  char scratch[kPiece];
  for (;;) {
    std::string_view piece;
    NOVELTA_RETURN_IF_ERROR(file->Read(kPiece, &piece, scratch));
    if (piece.empty()) break;
    EVP_DigestUpdate(ctx.get(), piece.data(), piece.size());
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  return ToHex(md, len);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace novelta
