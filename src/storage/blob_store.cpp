// Blob store: write-once files named by their SHA-256, verified on every read.
#include "storage/blob_store.h"

#include "base/crypto.h"

namespace registry {

static bool IsSha256Hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

BlobStore::BlobStore(std::string root, FileSystem* fs) : root_(std::move(root)), fs_(fs) {}

Status BlobStore::Init() {
  RETURN_IF_ERROR(fs_->CreateDirectories(root_ + "/blobs"));
  return fs_->CreateDirectories(root_ + "/tmp");
}

std::string BlobStore::PathOf(const std::string& sha256) const {
  return root_ + "/blobs/" + sha256.substr(0, 2) + "/" + sha256;
}

// Put and PutUnsynced: nothing to do when the blob is there, else its directory and the write.
static Status PutBlob(FileSystem* fs, const std::string& root, const std::string& path,
                      const std::string& sha256, std::string_view data, bool sync) {
  if (!IsSha256Hex(sha256)) return Status::Internal("bad blob address `" + sha256 + "`");
  if (fs->Exists(path)) return Status::Ok();
  RETURN_IF_ERROR(fs->CreateDirectories(root + "/blobs/" + sha256.substr(0, 2)));
  return sync ? fs->WriteDurably(root + "/tmp", path, data)
              : fs->WriteUnsynced(root + "/tmp", path, data);
}

Status BlobStore::Put(const std::string& sha256, std::string_view data) {
  return PutBlob(fs_, root_, PathOf(sha256), sha256, data, /*sync=*/true);
}

Status BlobStore::PutUnsynced(const std::string& sha256, std::string_view data) {
  return PutBlob(fs_, root_, PathOf(sha256), sha256, data, /*sync=*/false);
}

Status BlobStore::Sync() { return fs_->SyncFileSystem(root_ + "/blobs"); }

Status BlobStore::Remove(const std::string& sha256) {
  if (!IsSha256Hex(sha256)) return Status::Internal("bad blob address `" + sha256 + "`");
  return fs_->Remove(PathOf(sha256));
}

Result<std::string> BlobStore::Get(const std::string& sha256) {
  if (!IsSha256Hex(sha256)) return Status::NotFound("no blob `" + sha256 + "`");
  Result<std::string> data = fs_->ReadFile(PathOf(sha256));
  if (!data.ok()) return data.status();
  std::string actual = Sha256Hex(*data);
  if (actual != sha256) {
    return Status::Corrupt("stored crate file " + PathOf(sha256) + " is corrupt: its SHA-256 is " +
                           actual + ", expected " + sha256);
  }
  return data;
}

}  // namespace registry
