// The .crate loaders of import sources: files on disk, or HTTP GETs of the source's `dl`.
#include "import/crate_loaders.h"

#include <fstream>
#include <sstream>
#include <system_error>
#include <filesystem>

#include "mirror/dl_template.h"

namespace registry {

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open `" + path + "`");
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return Status::Io("cannot read `" + path + "`");
  return out.str();
}

CrateLoader DirCrateLoader(std::string dir) {
  return [dir](const std::string& name, const std::string& vers,
               const std::string&) -> Result<std::string> {
    std::string flat = dir + "/" + name + "-" + vers + ".crate";
    std::string tree = dir + "/" + name + "/" + vers + "/download";
    std::error_code ec;
    if (std::filesystem::exists(flat, ec)) return ReadWholeFile(flat);
    if (std::filesystem::exists(tree, ec)) return ReadWholeFile(tree);
    return Status::NotFound("no .crate for " + name + " " + vers + " (looked for `" + flat +
                            "` and `" + tree + "`)");
  };
}

CrateLoader HttpCrateLoader(Fetcher* fetcher, std::string dl, std::string token) {
  return [fetcher, dl, token](const std::string& name, const std::string& vers,
                              const std::string& cksum) -> Result<std::string> {
    FetchRequest request;
    request.url = ExpandDlTemplate(dl, name, vers, cksum);
    request.authorization = token;
    Result<FetchResponse> response = fetcher->Get(request);
    if (!response.ok()) return response.status();
    if (response->status != 200) {
      return Status::Unavailable("GET " + request.url + " answered " +
                                 std::to_string(response->status));
    }
    return std::move(response->body);
  };
}

}  // namespace registry
