#include "pipeline/ingest.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "core/date.hpp"
#include "core/error.hpp"
#include "core/natural_sort.hpp"
#include "core/sha256.hpp"
#include "core/version.hpp"
#include "imaging/image_io.hpp"
#include "imaging/technical_metadata.hpp"
#include "imaging/threads.hpp"
#include "imaging/tiler.hpp"
#include "pipeline/run_pipeline.hpp"
#include "store/derivatives.hpp"
#include "store/masters.hpp"

namespace findbuch {

namespace fs = std::filesystem;

std::vector<fs::path> expand_inputs(const std::vector<fs::path>& inputs) {
  std::vector<fs::path> files;
  for (const auto& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::directory_iterator(input)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && !name.empty() && name[0] != '.')
          found.push_back(entry.path());
      }
      std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
        return natural_less(a.filename().string(), b.filename().string());
      });
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(input, ec)) {
      files.push_back(input);
    } else {
      throw InputError(input.string() + ": no such file or folder");
    }
  }
  return files;
}

namespace {

// Temporary files and half-built tile folders (hidden names) that a killed run left beside
// masters and derivatives. Only a writer creates them and ingest holds the writer lock, so
// every one found is an orphan.
void remove_leftovers(const fs::path& workspace) {
  std::vector<fs::path> orphans;
  for (const char* folder : {"masters", "derivatives", "iiif"}) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(workspace / folder, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {
        orphans.push_back(it->path());
        it.disable_recursion_pending();
      }
    }
  }
  std::error_code ignored;
  for (const auto& orphan : orphans) fs::remove_all(orphan, ignored);
}

// Tiling settings take part in the derivatives' fingerprint: pages are tiled again when they
// change (the service URL is not among them: `export iiif` writes info.json afresh).
TileOptions tile_options(const IiifSettings& s) {
  TileOptions o;
  o.layout = TileLayout::iiif3;
  o.tile_size = s.tile_size;
  o.quality = s.quality;
  o.max_width = s.max_width;
  o.max_height = s.max_height;
  o.max_area = s.max_area;
  o.threads = 1;  // pages are tiled in parallel already
  return o;
}

std::string fingerprint(const Pipeline* pipeline, const TileOptions* tiles) {
  if (tiles == nullptr) return pipeline != nullptr ? pipeline->sha256 : "";
  const std::string settings =
      "tiles " + std::to_string(tiles->tile_size) + " " + std::to_string(tiles->quality) + " " +
      std::to_string(tiles->max_width) + " " + std::to_string(tiles->max_height) + " " +
      std::to_string(tiles->max_area);
  return sha256_hex(std::string(pipeline ? pipeline->sha256 : "none") + "\n" + settings);
}

// The save stage whose image viewers show: "access" if the pipeline has one, else the first.
std::string shown_role(const Pipeline& p) {
  std::string first;
  for (const auto& stage : p.stages) {
    if (stage.name != "save") continue;
    const auto& role = std::get<SaveParams>(stage.params).role;
    if (role == "access") return role;
    if (first.empty()) first = role;
  }
  return first;
}

// What a worker made of one file, waiting to be committed in page order.
struct PageWork {
  std::optional<std::string> failure;
  TechnicalMetadata tech;
  std::string sha256;
  std::string master_path;  ///< relative to the workspace
  bool cleaned = false;
  std::vector<Derivative> derivatives;
};

class IngestRun {
 public:
  IngestRun(Workspace& ws, const IngestOptions& options)
      : ws_(ws),
        options_(options),
        db_(ws.catalogue().db()),
        masters_(db_, ws.dir()),
        derivatives_(db_),
        tiles_(tile_options(ws.config().iiif)),
        name_(options.pipeline ? options.pipeline->name : "none"),
        fingerprint_(fingerprint(options.pipeline, options.tiles ? &tiles_ : nullptr)),
        shown_role_(options.pipeline ? shown_role(*options.pipeline) : "") {}

  bool makes_derivatives() const { return options_.pipeline != nullptr || options_.tiles; }

  IngestReport run(const Unit& unit, const std::vector<fs::path>& files) {
    files_ = &files;
    work_.assign(files.size(), std::nullopt);
    int jobs = options_.jobs > 0
                   ? options_.jobs
                   : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    jobs = std::min<int>(jobs, static_cast<int>(std::max<std::size_t>(files.size(), 1)));
    if (jobs > 1) set_kernel_threads(1);
    std::vector<std::thread> workers;
    for (int j = 0; j < jobs; ++j) workers.emplace_back([this] { work(); });
    IngestReport report;
    try {
      for (std::size_t i = 0; i < files.size(); ++i) commit(unit, i, take(i), report);
    } catch (...) {
      stop_ = true;
      for (auto& w : workers) w.join();
      throw;
    }
    for (auto& w : workers) w.join();
    return report;
  }

 private:
  void work() {
    for (;;) {
      const std::size_t i = next_++;
      if (i >= files_->size() || stop_) return;
      PageWork w = process((*files_)[i]);
      std::lock_guard lock(results_mutex_);
      work_[i] = std::move(w);
      ready_.notify_all();
    }
  }

  PageWork take(std::size_t i) {
    std::unique_lock lock(results_mutex_);
    ready_.wait(lock, [&] { return work_[i].has_value(); });
    PageWork w = std::move(*work_[i]);
    work_[i].reset();
    return w;
  }

  PageWork process(const fs::path& file) {
    PageWork w;
    try {
      w.tech = read_technical_metadata(file, ws_.config().max_image_pixels);
      w.sha256 = sha256_of_file(file);
      if (makes_derivatives() && !already_cleaned(w.sha256)) {
        if (options_.pipeline) {
          clean(file, w);
        } else {
          tile_master(file, w);
        }
      }
      w.master_path = masters_.place(file, w.sha256);
    } catch (const std::exception& e) {
      // Any failure of one page (bad file, a full disk, a kernel's exception) is reported for
      // that page; the batch goes on.
      w.failure = e.what();
    }
    if (w.failure) remove_files(w.derivatives);
    return w;
  }

  bool already_cleaned(const std::string& sha) {
    std::lock_guard lock(db_mutex_);
    const auto master = masters_.find(sha);
    return master && derivatives_.done(master->id, name_, fingerprint_);
  }

  // A pyramid of `page` for the viewers, recorded as a derivative like the files.
  void tile(const Image& page, int part, int parts, PageWork& w, const std::string& at) {
    Derivative d;
    d.pipeline = name_;
    d.pipeline_sha256 = fingerprint_;
    d.part = part;
    d.role = kTilesRole;
    d.format = "iiif3";
    d.path = Derivatives::path_for(w.sha256, name_, part, parts, kTilesRole, "");
    d.width = page.width;
    d.height = page.height;
    d.created_at = at;
    const fs::path target = ws_.dir() / d.path;
    fs::create_directories(target.parent_path());
    TileOptions options = tiles_;
    options.id = ws_.config().iiif_base_url() + "/images/" + target.filename().string();
    d.file_size = tile_image(page, target, options).bytes;
    w.derivatives.push_back(d);
  }

  // Without a pipeline the master itself is what viewers show.
  void tile_master(const fs::path& file, PageWork& w) {
    ReadOptions read;
    read.max_pixels = ws_.config().max_image_pixels;
    const Image image = read_image(file, read);
    const std::string at = utc_timestamp();
    tile(image, 1, 1, w, at);
    nlohmann::json history = {
        {"pipeline", "none"},
        {"stages", nlohmann::json::array()},
        {"master", {{"sha256", w.sha256}, {"original_name", file.filename().string()}}},
        {"tiles", tiles_history()},
        {"tool", std::string("findbuch ") + kVersion},
        {"at", at}};
    w.derivatives.back().history = history.dump();
    w.cleaned = true;
  }

  nlohmann::json tiles_history() const {
    return {{"layout", "iiif3"},
            {"tile_size", tiles_.tile_size},
            {"quality", tiles_.quality},
            {"max_width", tiles_.max_width},
            {"max_height", tiles_.max_height},
            {"max_area", tiles_.max_area}};
  }

  // Decodes the scanner's file (identical to the master, checked by hash when it is placed)
  // and writes each derivative atomically under its final name.
  void clean(const fs::path& file, PageWork& w) {
    const Pipeline& p = *options_.pipeline;
    ReadOptions read;
    read.max_pixels = ws_.config().max_image_pixels;
    Image image = read_image(file, read);
    const std::string at = utc_timestamp();
    auto save = [&](const Image& page, int part, int parts, const SaveParams& s) {
      if (options_.tiles && s.role == shown_role_) tile(page, part, parts, w, at);
      Derivative d;
      d.pipeline = p.name;
      d.pipeline_sha256 = fingerprint_;
      d.part = part;
      d.role = s.role;
      d.format = format_id(s.write.format);
      d.path = Derivatives::path_for(w.sha256, p.name, part, parts, s.role,
                                     extension_of(s.write.format));
      d.width = page.width;
      d.height = page.height;
      d.created_at = at;
      const fs::path target = ws_.dir() / d.path;
      fs::create_directories(target.parent_path());
      write_image(page, target, s.write);
      d.file_size = fs::file_size(target);
      w.derivatives.push_back(d);
      return d.path;
    };
    nlohmann::json history = run_pipeline(std::move(image), p, save);
    history["master"] = {{"sha256", w.sha256}, {"original_name", file.filename().string()}};
    history["tool"] = std::string("findbuch ") + kVersion;
    history["at"] = at;
    if (options_.tiles) history["tiles"] = tiles_history();
    const std::string text = history.dump();
    for (auto& d : w.derivatives) d.history = text;
    w.cleaned = true;
  }

  void commit(const Unit& unit, std::size_t i, PageWork w, IngestReport& report) {
    const fs::path& file = (*files_)[i];
    if (w.failure) {
      report.failures.push_back({file, *w.failure});
    } else {
      std::vector<std::string> unused;
      {
        std::lock_guard lock(db_mutex_);
        Transaction tx(db_);
        const bool known = masters_.find(w.sha256).has_value();
        const MasterFile master = masters_.record(file, w.master_path, w.sha256, w.tech);
        if (masters_.attach(unit.id, master)) {
          ++report.attached;
          if (known) ++report.deduplicated;
        } else {
          ++report.already_attached;
        }
        if (w.cleaned) unused = derivatives_.replace(master.id, w.derivatives);
        tx.commit();
      }
      if (w.cleaned) {
        ++report.cleaned;
        report.derivatives += static_cast<int>(w.derivatives.size());
      } else if (makes_derivatives()) {
        ++report.already_cleaned;
      }
      std::error_code ec;
      for (const auto& path : unused) fs::remove_all(ws_.dir() / path, ec);
    }
    if (options_.progress) options_.progress(i + 1, files_->size());
  }

  void remove_files(const std::vector<Derivative>& made) {
    std::error_code ec;
    for (const auto& d : made) fs::remove_all(ws_.dir() / d.path, ec);
  }

  Workspace& ws_;
  const IngestOptions& options_;
  Database& db_;
  Masters masters_;
  Derivatives derivatives_;
  const TileOptions tiles_;
  const std::string name_;         ///< the pipeline's name, "none" for masters only
  const std::string fingerprint_;  ///< pipeline version and tiling settings
  const std::string shown_role_;   ///< the saved image that is tiled
  const std::vector<fs::path>* files_ = nullptr;
  std::vector<std::optional<PageWork>> work_;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::mutex results_mutex_;
  std::condition_variable ready_;
  std::mutex db_mutex_;  ///< one SQLite connection: workers' lookups and the commits take turns
};

}  // namespace

IngestReport ingest(Workspace& workspace, const Unit& unit, const std::vector<fs::path>& files,
                    const IngestOptions& options) {
  if (unit.level != Level::File && unit.level != Level::Item)
    throw InputError("pages belong to an Akte or Einzelstück; " + in_quotes(unit.signatur) +
                     " is a " + std::string(level_info(unit.level).german));
  remove_leftovers(workspace.dir());
  return IngestRun(workspace, options).run(unit, files);
}

}  // namespace findbuch
