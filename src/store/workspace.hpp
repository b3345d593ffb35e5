#pragma once
// The archive workspace on disk: the catalogue, folders for masters, derivatives, IIIF tiles,
// the index and exports, and findbuch.json. A writer holds an exclusive lock so that two
// writers are detected instead of interleaving.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "catalogue/access_policy.hpp"
#include "store/catalogue.hpp"

namespace findbuch {

/// Zoomable images and IIIF manifests (findbuch.json "iiif").
struct IiifSettings {
  /// Where `export iiif` output is served; empty: public_base_url + "/iiif".
  std::string base_url;
  int tile_size = 512;
  int quality = 85;  ///< JPEG quality of tiles and sizes
  /// Largest image clients may ask for (0: no limit); full/max exists only within them.
  std::uint64_t max_width = 0, max_height = 0, max_area = 0;
  /// Licence of the images: a Creative Commons or RightsStatements.org URI (manifest "rights").
  std::string rights;
  /// Credit line shown by viewers (manifest "requiredStatement"); empty: the archive's name.
  std::string required_statement;
};

struct ArchiveConfig {
  std::string isil;
  std::string name;
  std::vector<std::string> address;  ///< address lines
  std::string email;
  std::vector<std::string> languages = {"ger"};  ///< ISO 639-2b
  std::string public_base_url;
  ProtectionRules protection;
  /// Images declaring more pixels are refused before decoding (decompression bombs).
  std::uint64_t max_image_pixels = 1'000'000'000;
  /// The cleaning pipeline `ingest` runs when none is given ("none": masters only).
  std::string default_pipeline = "akten";
  IiifSettings iiif;

  /// iiif.base_url, or public_base_url + "/iiif", without a trailing slash.
  std::string iiif_base_url() const;
};

/// findbuch.json <-> ArchiveConfig. Errors name the file and the field.
ArchiveConfig load_config(const std::filesystem::path& file);
void save_config(const std::filesystem::path& file, const ArchiveConfig& config);
/// ISIL syntax check (ISO 15511: country/prefix, hyphen, up to 16 characters in all).
bool valid_isil(const std::string& isil);

class Workspace {
 public:
  enum class Mode { Read, Write };

  /// Creates a new workspace in `dir` (which must not hold one yet).
  static std::unique_ptr<Workspace> create(const std::filesystem::path& dir,
                                           const ArchiveConfig& config);
  /// Opens an existing workspace; Write takes the writer lock or fails naming the holder.
  static std::unique_ptr<Workspace> open(const std::filesystem::path& dir, Mode mode,
                                         const std::string& command = "findbuch");
  ~Workspace();

  const std::filesystem::path& dir() const { return dir_; }
  const ArchiveConfig& config() const { return config_; }
  Catalogue& catalogue() { return *catalogue_; }
  AccessPolicy policy() const { return AccessPolicy(config_.protection); }
  /// The access decision for `unit` on `today`, its ancestors included: what every surface asks.
  AccessDecision access(const Unit& unit, Date today);

  static std::filesystem::path config_file(const std::filesystem::path& dir);
  static std::filesystem::path catalogue_file(const std::filesystem::path& dir);
  /// The folders every workspace has.
  static const std::vector<std::string>& folders();

 private:
  Workspace() = default;
  void lock(const std::string& command);

  std::filesystem::path dir_;
  ArchiveConfig config_;
  std::unique_ptr<Catalogue> catalogue_;
  int lock_fd_ = -1;
};

}  // namespace findbuch
