// Lists a registry index stored as files: one SourceVersion per JSON line.
#include "import/index_dir.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "base/untrusted_json.h"

namespace registry {

Result<std::vector<SourceVersion>> ListIndexDir(const std::string& index_root,
                                                const CrateLoader& loader) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(index_root, ec)) {
    return Status::NotFound("`" + index_root + "` is not a directory");
  }
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(index_root, ec), end;
  if (ec) return Status::Io("cannot list `" + index_root + "`: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return Status::Io("cannot list `" + index_root + "`: " + ec.message());
    std::string name = it->path().filename().string();
    if (it->is_directory(ec)) {
      if (!name.empty() && name[0] == '.') it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec) || name == "config.json" || name[0] == '.') continue;
    files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());

  std::vector<SourceVersion> out;
  for (const std::string& file : files) {
    Result<std::string> text = ReadWholeFile(file);
    if (!text.ok()) return text.status();
    std::istringstream lines(*text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      Result<SourceVersion> v = VersionFromIndexLine(line, loader);
      if (!v.ok()) {
        return Status::Invalid("`" + file + "` line " + std::to_string(number) + ": " +
                               v.status().message());
      }
      out.push_back(std::move(*v));
    }
  }
  return out;
}

Result<SourceVersion> VersionFromIndexLine(const std::string& line, const CrateLoader& loader) {
  Result<nlohmann::json> json = ParseUntrustedJson(line);
  auto text_of = [&](const char* key) -> std::string {
    if (!json.ok() || !json->is_object()) return "";
    auto found = json->find(key);
    return found != json->end() && found->is_string() ? found->get<std::string>() : "";
  };
  SourceVersion v;
  v.name = text_of("name");
  v.vers = text_of("vers");
  v.cksum = text_of("cksum");
  if (v.name.empty() || v.vers.empty() || v.cksum.empty()) {
    return Status::Invalid("not an index line (no string name, vers and cksum)");
  }
  v.label = v.name + " " + v.vers;
  v.index_line = line;
  v.load = [loader, name = v.name, vers = v.vers, cksum = v.cksum] {
    return loader(name, vers, cksum);
  };
  return v;
}

Result<std::string> ReadIndexDl(const std::string& index_root) {
  Result<std::string> text = ReadWholeFile(index_root + "/config.json");
  if (!text.ok()) return text.status();
  Result<nlohmann::json> json = ParseUntrustedJson(*text);
  if (!json.ok() || !json->is_object()) {
    return Status::Invalid("`" + index_root + "/config.json` is not a JSON object");
  }
  auto dl = json->find("dl");
  return dl != json->end() && dl->is_string() ? dl->get<std::string>() : std::string();
}

std::string GitOriginUrl(const std::string& checkout) {
  Result<std::string> config = ReadWholeFile(checkout + "/.git/config");
  if (!config.ok()) return "";
  std::istringstream lines(*config);
  std::string line;
  bool in_origin = false;
  while (std::getline(lines, line)) {
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos) continue;
    std::string_view text = std::string_view(line).substr(start);
    if (text[0] == '[') {
      in_origin = text.rfind("[remote \"origin\"]", 0) == 0;
      continue;
    }
    if (!in_origin || text.rfind("url", 0) != 0) continue;
    size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view url = text.substr(eq + 1);
    while (!url.empty() && (url.front() == ' ' || url.front() == '\t')) url.remove_prefix(1);
    while (!url.empty() && (url.back() == ' ' || url.back() == '\t')) url.remove_suffix(1);
    return std::string(url);
  }
  return "";
}

}  // namespace registry
