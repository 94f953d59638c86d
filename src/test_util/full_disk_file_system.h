// A FileSystem for tests: the real one, except that writes fail with NoSpace while `full`.
#pragma once

#include "storage/file_system.h"

namespace registry {

class FullDiskFileSystem : public FileSystem {
 public:
  bool full = false;
  Status WriteDurably(const std::string& tmp_dir, const std::string& path,
                      std::string_view data) override {
    if (full) return Status::NoSpace("the registry's disk is full (injected)");
    return RealFileSystem()->WriteDurably(tmp_dir, path, data);
  }
  Result<std::string> ReadFile(const std::string& path) override {
    return RealFileSystem()->ReadFile(path);
  }
  bool Exists(const std::string& path) override { return RealFileSystem()->Exists(path); }
  Status CreateDirectories(const std::string& path) override {
    return RealFileSystem()->CreateDirectories(path);
  }
  Status Remove(const std::string& path) override { return RealFileSystem()->Remove(path); }
};

}  // namespace registry
