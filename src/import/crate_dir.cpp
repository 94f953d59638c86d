// Lists a directory of .crate files as versions to import.
#include "import/crate_dir.h"

#include <algorithm>
#include <filesystem>

#include "import/crate_loaders.h"

namespace registry {

Result<std::vector<SourceVersion>> ListCrateDir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound("`" + dir + "` is not a directory");
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".crate") {
      files.push_back(it->path().string());
    }
  }
  if (ec) return Status::Io("cannot list `" + dir + "`: " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<SourceVersion> out;
  for (const std::string& file : files) {
    SourceVersion v;
    v.label = fs::path(file).filename().string();
    v.load = [file] { return ReadWholeFile(file); };
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace registry
