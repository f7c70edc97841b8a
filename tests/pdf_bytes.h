// PDF files the end-to-end tests make: numbered objects (the first the
// catalog) written out with a cross-reference table computed so that strict
// readers accept them.
#ifndef NOVELTA_TESTS_PDF_BYTES_H_
#define NOVELTA_TESTS_PDF_BYTES_H_

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

}  // namespace novelta::testing

#endif  // NOVELTA_TESTS_PDF_BYTES_H_
