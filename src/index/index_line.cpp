// Serialises one crate version as the JSON line cargo reads from a sparse-index file.
#include "index/index_line.h"

#include <cinttypes>
#include <cstdio>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace registry {
namespace {

using OrderedJson = nlohmann::ordered_json;

// Cargo before 1.60 cannot read "dep:" and "?/" feature syntax, so such features go to
// "features2", which older cargo ignores.
bool NeedsFeatures2(const std::vector<std::string>& values) {
  for (const std::string& value : values) {
    if (value.rfind("dep:", 0) == 0 || value.find("?/") != std::string::npos) return true;
  }
  return false;
}

OrderedJson OptionalString(const std::optional<std::string>& value) {
  return value ? OrderedJson(*value) : OrderedJson(nullptr);
}

OrderedJson DependencyJson(const IndexDependency& dep) {
  OrderedJson json = OrderedJson::object();
  json["name"] = dep.name;
  json["req"] = dep.req;
  json["features"] = dep.features;
  json["optional"] = dep.optional;
  json["default_features"] = dep.default_features;
  json["target"] = OptionalString(dep.target);
  json["kind"] = dep.kind;
  json["registry"] = OptionalString(dep.registry);
  if (dep.package) json["package"] = *dep.package;
  return json;
}

// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days),
// exact for any int64 day count a timestamp can produce and free of the C library's locale
// and time-zone state.
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;  // March is 0
  *day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  *month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  *year = static_cast<int64_t>(year_of_era) + era * 400 + (*month <= 2 ? 1 : 0);
}

}  // namespace

std::string FormatPubtime(int64_t unix_seconds) {
  constexpr int64_t kSecondsPerDay = 86400;
  int64_t days = unix_seconds / kSecondsPerDay;
  int64_t seconds_of_day = unix_seconds % kSecondsPerDay;
  if (seconds_of_day < 0) {  // floor, so times before 1970 land on the right day
    seconds_of_day += kSecondsPerDay;
    days -= 1;
  }
  int64_t year = 0;
  unsigned month = 0;
  unsigned day = 0;
  CivilFromDays(days, &year, &month, &day);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%04" PRId64 "-%02u-%02uT%02d:%02d:%02dZ", year, month, day,
                static_cast<int>(seconds_of_day / 3600), static_cast<int>(seconds_of_day / 60 % 60),
                static_cast<int>(seconds_of_day % 60));
  return buffer;
}

std::string IndexLineJson(const IndexEntry& entry) {
  OrderedJson deps = OrderedJson::array();
  for (const IndexDependency& dep : entry.deps) deps.push_back(DependencyJson(dep));

  OrderedJson features = OrderedJson::object();
  OrderedJson features2 = OrderedJson::object();
  for (const auto& [feature, values] : entry.features) {
    (NeedsFeatures2(values) ? features2 : features)[feature] = values;
  }

  OrderedJson line = OrderedJson::object();
  line["name"] = entry.name;
  line["vers"] = entry.vers;
  line["deps"] = std::move(deps);
  line["cksum"] = entry.cksum;
  line["features"] = std::move(features);
  bool uses_features2 = !features2.empty();
  if (uses_features2) line["features2"] = std::move(features2);
  line["yanked"] = entry.yanked;
  line["links"] = OptionalString(entry.links);
  if (entry.rust_version) line["rust_version"] = *entry.rust_version;
  line["pubtime"] = FormatPubtime(entry.pubtime);
  if (uses_features2) line["v"] = 2;
  // Replace invalid UTF-8 rather than throw: dump() would otherwise raise type_error 316.
  return line.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

}  // namespace registry
