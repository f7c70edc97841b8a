// `novelta keys`: API keys of the REST service.
//
//   novelta keys create --state DIR --name NAME [--scope read|write|admin]   prints the key once
//   novelta keys list   --state DIR
//   novelta keys revoke --state DIR --name NAME
//
// Only a key's SHA-256 is stored; a lost key cannot be shown again, only
// revoked and replaced.
#include <cstdio>
#include <memory>
#include <string>

#include "base/env.h"
#include "services/api_keys.h"
#include "services/state/state_location.h"
#include "tools/command.h"

namespace novelta::tools {
namespace {

struct KeysFlags {
  std::string state_dir, name, scope = "read";
};

int Fail(const Status& s) {
  std::fprintf(stderr, "novelta keys: %s\n", s.ToString().c_str());
  return s.IsInvalidArgument() ? 2 : 1;
}

StatusOr<std::unique_ptr<KeyStore>> OpenKeys(const KeysFlags& f) {
  NOVELTA_ASSIGN_OR_RETURN(StateLocation state, ParseStateLocation(f.state_dir));
  if (state.kind == StateLocation::Kind::kDirectory) {
    NOVELTA_RETURN_IF_ERROR(Env::Default()->CreateDirs(f.state_dir));
  }
  return KeyStore::Open(state);
}

void AddKeysCommand(CLI::App& app) {
  auto flags = std::make_shared<KeysFlags>();
  CLI::App* keys = app.add_subcommand("keys", "Manage API keys of the REST service");
  keys->require_subcommand(1);

  CLI::App* create = keys->add_subcommand("create", "Create a key and print it (shown only once)");
  create->add_option("--state", flags->state_dir, "State of `novelta serve`: its directory or postgresql:// URI")->required();
  create->add_option("--name", flags->name, "Name of the key (A-Z a-z 0-9 . _ -)")->required();
  create->add_option("--scope", flags->scope, "read, write or admin (default read)");
  create->callback([flags] {
    auto scope = ParseScope(flags->scope);
    if (!scope.ok()) { ExitCode() = Fail(scope.status()); return; }
    auto store = OpenKeys(*flags);
    if (!store.ok()) { ExitCode() = Fail(store.status()); return; }
    auto key = (*store)->Create(flags->name, *scope);
    if (!key.ok()) { ExitCode() = Fail(key.status()); return; }
    std::printf("%s\n", key->c_str());
    std::fprintf(stderr, "created key '%s' (scope %s); store it now, it is not shown again\n",
                 flags->name.c_str(), ScopeName(*scope));
  });

  CLI::App* list = keys->add_subcommand("list", "List key names and scopes");
  list->add_option("--state", flags->state_dir, "State of `novelta serve`: its directory or postgresql:// URI")->required();
  list->callback([flags] {
    auto store = OpenKeys(*flags);
    if (!store.ok()) { ExitCode() = Fail(store.status()); return; }
    auto all = (*store)->List();
    if (!all.ok()) { ExitCode() = Fail(all.status()); return; }
    for (const auto& k : *all) std::printf("%s\t%s\n", k.name.c_str(), ScopeName(k.scope));
  });

  CLI::App* revoke = keys->add_subcommand("revoke", "Revoke a key by name");
  revoke->add_option("--state", flags->state_dir, "State of `novelta serve`: its directory or postgresql:// URI")->required();
  revoke->add_option("--name", flags->name, "Name of the key")->required();
  revoke->callback([flags] {
    auto store = OpenKeys(*flags);
    if (!store.ok()) { ExitCode() = Fail(store.status()); return; }
    Status s = (*store)->Revoke(flags->name);
    if (!s.ok()) ExitCode() = Fail(s);
  });
}

}  // namespace

NOVELTA_REGISTER_COMMAND("keys", AddKeysCommand);

}  // namespace novelta::tools
