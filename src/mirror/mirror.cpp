// The mirror's read paths: authorize, guard, then the caches.
#include "mirror/mirror.h"

namespace registry {

Mirror::Mirror(DatabasePool* pool, BlobStore* blobs, Fetcher* fetcher, const Clock* clock,
               MirrorOptions options)
    : options_(std::move(options)),
      index_(pool, fetcher, clock, options_.index),
      crates_(pool, blobs, fetcher, clock, &index_),
      guard_(pool, options_.private_names, options_.registry_name) {}

Result<MirrorIndexFile> Mirror::ReadIndexFile(const Actor& actor, std::string_view lower_name) {
  RETURN_IF_ERROR(actor.RequireRead(lower_name));
  RETURN_IF_ERROR(guard_.Check(lower_name));
  return index_.Read(lower_name);
}

Result<StoredCrateFile> Mirror::OpenCrate(const Actor& actor, std::string_view name,
                                          std::string_view vers) {
  RETURN_IF_ERROR(actor.RequireRead(name));
  RETURN_IF_ERROR(guard_.Check(name));
  return crates_.Open(name, vers);
}

}  // namespace registry
