// `registry crate limits`: sets or shows the per-crate overrides of the publish limits.
#include "cli/crate_commands.h"

#include <cstdio>
#include <string>

#include "app/app.h"

namespace registry {

int CrateLimitsCommand(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  Registry& registry = (*app)->registry();
  const std::string& name = args.positional[0];
  Result<CrateLimits> limits = registry.GetCrateLimits(name);
  if (!limits.ok()) return Fail(limits.status());
  std::string features = args.Get("--max-features"), size = args.Get("--max-size");
  if (features == "default") {
    limits->max_features.reset();
  } else if (!features.empty()) {
    if (features.size() > 6 || features.find_first_not_of("0123456789") != std::string::npos) {
      return Fail(Status::Invalid("invalid --max-features `" + features +
                                  "`: give a number, or `default`"));
    }
    limits->max_features = std::stoll(features);
  }
  if (size == "default") {
    limits->max_size.reset();
  } else if (!size.empty()) {
    Result<uint64_t> bytes = ParseSize(size);
    if (!bytes.ok()) return Fail(bytes.status());
    limits->max_size = *bytes;
  }
  if (!features.empty() || !size.empty()) {
    Status st = registry.SetCrateLimits(Actor::ForCli(), name, *limits);
    if (!st.ok()) return Fail(st);
  }
  auto shown = [](const auto& value, const char* fallback) {
    return value ? std::to_string(*value) : std::string(fallback);
  };
  std::printf("%s: max features %s, max size %s\n", name.c_str(),
              shown(limits->max_features, "server default").c_str(),
              limits->max_size ? (std::to_string(*limits->max_size) + " bytes").c_str()
                               : "server default");
  return 0;
}

std::vector<Command> CrateCommands() {
  return {
      {{"crate limits",
        {"--data", "--max-features", "--max-size"},
        {},
        {"--data"},
        1,
        1,
        "registry crate limits --data DIR NAME [--max-features N|default]\n"
        "                      [--max-size SIZE|default]",
        "set (or show) one crate's publish limits over the server's --max-features and\n"
        "      --max-crate-size; the crate need not exist yet"},
       CrateLimitsCommand},
  };
}

}  // namespace registry
