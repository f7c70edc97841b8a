// novelta: assess the novelty of paper submissions (see README.md).
// Every subcommand lives in its own tools/*_command.cc.
#include <algorithm>
#include <cstdio>

#include "tools/command.h"

namespace novelta::tools {
int& ExitCode() {
  static int code = 0;
  return code;
}
}  // namespace novelta::tools

int main(int argc, char** argv) {
  using novelta::tools::CommandRegistry;
  CLI::App app{"novelta: evidence-backed novelty assessment of paper submissions"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "novelta 0.1.0");
  auto entries = CommandRegistry::Entries();
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (auto& e : entries) e.add(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return novelta::tools::ExitCode();
}
