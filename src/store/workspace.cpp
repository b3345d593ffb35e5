#include "store/workspace.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "store/schema.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kConfigVersion = 1;

[[noreturn]] void config_error(const fs::path& file, const std::string& field,
                               const std::string& what) {
  throw InputError(file.string() + ": field \"" + field + "\": " + what);
}

template <typename T>
T get_field(const json& j, const fs::path& file, const std::string& field, const char* type) {
  try {
    return j.get<T>();
  } catch (const json::exception&) {
    config_error(file, field, std::string("must be ") + type);
  }
}

int get_years(const json& obj, const fs::path& file, const std::string& key, int fallback) {
  if (!obj.contains(key)) return fallback;
  const int v = get_field<int>(obj[key], file, "protection." + key, "a whole number of years");
  if (v < 0 || v > 500) config_error(file, "protection." + key, "must be between 0 and 500");
  return v;
}

IiifSettings load_iiif(const json& v, const fs::path& file) {
  if (!v.is_object()) config_error(file, "iiif", "must be an object");
  static const std::vector<std::string> keys = {"base_url",  "tile_size",         "quality",
                                                "max_width", "max_height",        "max_area",
                                                "rights",    "required_statement"};
  for (const auto& [key, value] : v.items())
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
      config_error(file, "iiif." + key, "unknown setting");
  IiifSettings s;
  const auto text = [&](const char* key, std::string fallback) {
    return v.contains(key)
               ? get_field<std::string>(v[key], file, std::string("iiif.") + key, "a string")
               : fallback;
  };
  const auto whole = [&](const char* key, std::uint64_t fallback, std::uint64_t low,
                         std::uint64_t high) {
    if (!v.contains(key)) return fallback;
    const json& n = v[key];
    if (!n.is_number_unsigned() || n.get<std::uint64_t>() < low || n.get<std::uint64_t>() > high)
      config_error(
          file, std::string("iiif.") + key,
          "must be a whole number from " + std::to_string(low) + " to " + std::to_string(high));
    return n.get<std::uint64_t>();
  };
  s.base_url = text("base_url", s.base_url);
  s.tile_size = static_cast<int>(whole("tile_size", 512, 16, 4096));
  s.quality = static_cast<int>(whole("quality", 85, 1, 100));
  s.max_width = whole("max_width", 0, 0, 1u << 30);
  s.max_height = whole("max_height", 0, 0, 1u << 30);
  s.max_area = whole("max_area", 0, 0, std::uint64_t{1} << 40);
  if (s.max_height != 0 && s.max_width == 0)
    config_error(file, "iiif.max_height",
                 "needs iiif.max_width too (IIIF: maxHeight requires maxWidth)");
  // Tiles are images clients ask for too: they must be within the limits.
  const auto side = static_cast<std::uint64_t>(s.tile_size);
  const std::uint64_t max_height = s.max_height != 0 ? s.max_height : s.max_width;
  if ((s.max_width != 0 && side > s.max_width) || (max_height != 0 && side > max_height) ||
      (s.max_area != 0 && side * side > s.max_area))
    config_error(file, "iiif.tile_size", "must be within iiif.max_width, max_height and max_area");
  s.rights = text("rights", "");
  // IIIF Presentation 3.0 allows only these licence URIs (and registered extensions).
  if (!s.rights.empty() && s.rights.rfind("http://creativecommons.org/", 0) != 0 &&
      s.rights.rfind("http://rightsstatements.org/", 0) != 0)
    config_error(file, "iiif.rights",
                 "must be a http://creativecommons.org/ or http://rightsstatements.org/ URI");
  s.required_statement = text("required_statement", "");
  return s;
}

}  // namespace

std::string ArchiveConfig::iiif_base_url() const {
  const auto without_slash = [](std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  };
  return iiif.base_url.empty() ? without_slash(public_base_url) + "/iiif"
                               : without_slash(iiif.base_url);
}

bool valid_isil(const std::string& isil) {
  static const std::regex pattern(R"(^[A-Za-z]{1,4}-[A-Za-z0-9:/\-]{1,11}$)");
  return isil.size() <= 16 && std::regex_match(isil, pattern);
}

ArchiveConfig load_config(const fs::path& file) {
  json j;
  try {
    j = json::parse(read_file(file, 1 << 20));
  } catch (const json::parse_error& e) {
    throw InputError(file.string() + ": not valid JSON: " + e.what());
  }
  if (!j.is_object()) throw InputError(file.string() + ": must be a JSON object");
  static const std::vector<std::string> known = {"findbuch_config_version",
                                                 "isil",
                                                 "name",
                                                 "address",
                                                 "email",
                                                 "languages",
                                                 "public_base_url",
                                                 "protection",
                                                 "max_image_pixels",
                                                 "default_pipeline",
                                                 "iiif"};
  for (const auto& [key, value] : j.items())
    if (std::find(known.begin(), known.end(), key) == known.end())
      config_error(file, key, "unknown setting");
  const int version = j.contains("findbuch_config_version")
                          ? get_field<int>(j["findbuch_config_version"], file,
                                           "findbuch_config_version", "a number")
                          : 0;
  if (version > kConfigVersion)
    throw EnvironmentError(file.string() + ": configuration version " + std::to_string(version) +
                           " was written by a newer Findbuch (this build reads up to " +
                           std::to_string(kConfigVersion) + ")");
  ArchiveConfig c;
  auto text = [&](const char* key) {
    return j.contains(key) ? get_field<std::string>(j[key], file, key, "a string") : std::string();
  };
  c.isil = text("isil");
  if (!valid_isil(c.isil)) config_error(file, "isil", "\"" + c.isil + "\" is not an ISIL");
  c.name = text("name");
  if (c.name.empty()) config_error(file, "name", "must not be empty");
  c.email = text("email");
  c.public_base_url = text("public_base_url");
  if (j.contains("address"))
    c.address = get_field<std::vector<std::string>>(j["address"], file, "address",
                                                    "a list of address lines");
  if (j.contains("languages"))
    c.languages = get_field<std::vector<std::string>>(j["languages"], file, "languages",
                                                      "a list of ISO 639-2b codes");
  if (j.contains("max_image_pixels")) {
    const json& v = j["max_image_pixels"];
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() < 1'000'000)
      config_error(file, "max_image_pixels", "must be a whole number of at least 1000000");
    c.max_image_pixels = v.get<std::uint64_t>();
  }
  if (j.contains("default_pipeline"))
    c.default_pipeline = get_field<std::string>(j["default_pipeline"], file, "default_pipeline",
                                                "a pipeline name or file");
  if (j.contains("iiif")) c.iiif = load_iiif(j["iiif"], file);
  if (j.contains("protection")) {
    const json& p = j["protection"];
    if (!p.is_object()) config_error(file, "protection", "must be an object");
    static const std::vector<std::string> keys = {"general_years",
                                                  "personal_after_death_years",
                                                  "personal_after_birth_years",
                                                  "personal_unknown_years",
                                                  "secrecy_years",
                                                  "closed_units_public_as"};
    for (const auto& [key, value] : p.items())
      if (std::find(keys.begin(), keys.end(), key) == keys.end())
        config_error(file, "protection." + key, "unknown setting");
    auto& r = c.protection;
    r.general_years = get_years(p, file, "general_years", r.general_years);
    r.after_death_years = get_years(p, file, "personal_after_death_years", r.after_death_years);
    r.after_birth_years = get_years(p, file, "personal_after_birth_years", r.after_birth_years);
    r.personal_unknown_years =
        get_years(p, file, "personal_unknown_years", r.personal_unknown_years);
    r.secrecy_years = get_years(p, file, "secrecy_years", r.secrecy_years);
    if (p.contains("closed_units_public_as")) {
      const auto v = get_field<std::string>(p["closed_units_public_as"], file,
                                            "protection.closed_units_public_as", "a string");
      if (v != "stub" && v != "hidden")
        config_error(file, "protection.closed_units_public_as",
                     "\"" + v + "\" is not allowed; use \"stub\" or \"hidden\"");
      r.closed_shown_as_stub = v == "stub";
    }
  }
  return c;
}

void save_config(const fs::path& file, const ArchiveConfig& c) {
  const auto& r = c.protection;
  json j = {
      {"findbuch_config_version", kConfigVersion},
      {"isil", c.isil},
      {"name", c.name},
      {"address", c.address},
      {"email", c.email},
      {"languages", c.languages},
      {"public_base_url", c.public_base_url},
      {"max_image_pixels", c.max_image_pixels},
      {"default_pipeline", c.default_pipeline},
      {"iiif",
       {{"base_url", c.iiif.base_url},
        {"tile_size", c.iiif.tile_size},
        {"quality", c.iiif.quality},
        {"max_width", c.iiif.max_width},
        {"max_height", c.iiif.max_height},
        {"max_area", c.iiif.max_area},
        {"rights", c.iiif.rights},
        {"required_statement", c.iiif.required_statement}}},
      {"protection",
       {{"general_years", r.general_years},
        {"personal_after_death_years", r.after_death_years},
        {"personal_after_birth_years", r.after_birth_years},
        {"personal_unknown_years", r.personal_unknown_years},
        {"secrecy_years", r.secrecy_years},
        {"closed_units_public_as", r.closed_shown_as_stub ? "stub" : "hidden"}}},
  };
  write_file_atomic(file, j.dump(2) + "\n");
}

fs::path Workspace::config_file(const fs::path& dir) {
  return dir / "findbuch.json";
}
fs::path Workspace::catalogue_file(const fs::path& dir) {
  return dir / "catalogue.sqlite";
}

const std::vector<std::string>& Workspace::folders() {
  static const std::vector<std::string> f = {"masters", "derivatives", "iiif", "index", "exports"};
  return f;
}

std::unique_ptr<Workspace> Workspace::create(const fs::path& dir, const ArchiveConfig& config) {
  if (!valid_isil(config.isil))
    throw InputError("--isil: \"" + config.isil +
                     "\" is not an ISIL (ISO 15511, e.g. DE-MS123: country code, hyphen, "
                     "identifier; at most 16 characters)");
  if (trim(config.name).empty()) throw InputError("--name: the archive needs a name");
  std::error_code ec;
  if (fs::exists(config_file(dir)) || fs::exists(catalogue_file(dir)))
    throw InputError(dir.string() + " already holds an archive workspace");
  fs::create_directories(dir, ec);
  if (ec) throw EnvironmentError(dir.string() + ": cannot create: " + ec.message());

  std::unique_ptr<Workspace> ws(new Workspace);
  ws->dir_ = dir;
  ws->config_ = config;
  ws->lock("init");
  try {
    for (const auto& f : folders()) fs::create_directories(dir / f);
    ws->catalogue_ = std::make_unique<Catalogue>(catalogue_file(dir), /*create=*/true);
    // The configuration is written last: its presence marks a complete workspace.
    save_config(config_file(dir), config);
  } catch (...) {
    ws->catalogue_.reset();
    for (const char* suffix : {"", "-wal", "-shm"})
      fs::remove(catalogue_file(dir).string() + suffix, ec);
    throw;
  }
  return ws;
}

std::unique_ptr<Workspace> Workspace::open(const fs::path& dir, Mode mode,
                                           const std::string& command) {
  if (!fs::exists(config_file(dir)))
    throw EnvironmentError("no archive workspace in " + dir.string() +
                           " (findbuch.json missing); create one with `findbuch init --isil ... "
                           "--name ...` or pass --archive DIR");
  std::unique_ptr<Workspace> ws(new Workspace);
  ws->dir_ = dir;
  ws->config_ = load_config(config_file(dir));
  if (!fs::exists(catalogue_file(dir)))
    throw EnvironmentError(catalogue_file(dir).string() + " is missing");
  bool needs_migration = false;
  {
    Database probe(catalogue_file(dir).string(), /*create=*/false);
    needs_migration = probe.user_version() < current_schema_version();
  }
  // Migrating writes the schema: a reader that finds an old workspace takes the writer lock too.
  if (mode == Mode::Write || needs_migration) ws->lock(command);
  ws->catalogue_ = std::make_unique<Catalogue>(catalogue_file(dir), /*create=*/false);
  return ws;
}

void Workspace::lock(const std::string& command) {
  const fs::path file = dir_ / ".lock";
  lock_fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) throw EnvironmentError(file.string() + ": cannot open the lock file");
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    char buf[256] = {};
    const ssize_t n = ::pread(lock_fd_, buf, sizeof buf - 1, 0);
    ::close(lock_fd_);
    lock_fd_ = -1;
    std::string holder = n > 0 ? trim(std::string(buf, static_cast<std::size_t>(n))) : "unknown";
    throw EnvironmentError("archive " + dir_.string() +
                           " is being changed by another findbuch process (" + holder +
                           "); try again when it has finished");
  }
  const std::string me = "pid " + std::to_string(getpid()) + ": " + command + "\n";
  if (::ftruncate(lock_fd_, 0) == 0 && ::pwrite(lock_fd_, me.data(), me.size(), 0) < 0) {
    // The holder's description is only a courtesy in the message above.
  }
}

AccessDecision Workspace::access(const Unit& unit, Date today) {
  const AccessPolicy p = policy();
  return p.decide(unit, catalogue_->ancestor_facts(unit, p, today), today);
}

Workspace::~Workspace() {
  catalogue_.reset();
  if (lock_fd_ >= 0) {
    // Forget the holder's description so that a later message never names a finished process.
    [[maybe_unused]] const int ignored = ::ftruncate(lock_fd_, 0);
    ::close(lock_fd_);
  }
}

}  // namespace findbuch
