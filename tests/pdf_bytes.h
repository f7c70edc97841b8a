// PDF files the end-to-end tests make: numbered objects (the first the
// catalog) written out with a cross-reference table computed so that strict
// readers accept them.
#ifndef NOVELTA_TESTS_PDF_BYTES_H_
#define NOVELTA_TESTS_PDF_BYTES_H_

#include <zlib.h>

#include <cstdio>
#include <string>
#include <vector>

namespace novelta::testing {

// `objects[i]` becomes object i + 1; object 1 is the document's root.
inline std::string AssemblePdf(const std::vector<std::string>& objects) {
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char entry[32];
    std::snprintf(entry, sizeof(entry), "%010zu 00000 n \n", off);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// A deflate bomb: one page whose compressed content stream inflates to about
// `inflated_bytes` of drawing operators, which a reader parses for a long time.
inline std::string BombPdf(size_t inflated_bytes) {
  const std::string ops = "q 1 0 0 1 0 0 cm 0 0 m 1 1 l S Q\n";
  std::string block;
  while (block.size() < (1u << 20)) block += ops;
  z_stream z{};
  deflateInit(&z, 9);
  std::string out(inflated_bytes / 500 + (1u << 16), '\0');
  size_t fed = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    const bool last = fed + block.size() >= inflated_bytes;
    z.next_in = reinterpret_cast<Bytef*>(block.data());
    z.avail_in = static_cast<uInt>(block.size());
    do {
      if (z.total_out + 65536 > out.size()) out.resize(out.size() * 2);
      z.next_out = reinterpret_cast<Bytef*>(&out[z.total_out]);
      z.avail_out = static_cast<uInt>(out.size() - z.total_out);
      rc = deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
    } while (z.avail_in > 0 || (last && rc != Z_STREAM_END));
    fed += block.size();
  }
  out.resize(z.total_out);
  deflateEnd(&z);
  return AssemblePdf({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                      "<< /Length " + std::to_string(out.size()) + " /Filter /FlateDecode >>\nstream\n" + out +
                          "\nendstream"});
}

}  // namespace novelta::testing

#endif  // NOVELTA_TESTS_PDF_BYTES_H_
