#include <ostream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "imaging/tiler.hpp"

namespace findbuch::cli {
namespace {

namespace fs = std::filesystem;

std::string megabytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

class TileCommand final : public Command {
 public:
  std::string_view name() const override { return "tile"; }
  std::string_view summary() const override {
    return "make a zoomable tile pyramid of one image (IIIF level 0, Deep Zoom, pyramidal TIFF)";
  }
  std::string_view arguments() const override { return "IN OUT"; }
  std::string_view details() const override {
    return "iiif3: OUT is a folder with info.json, the tiles and the listed sizes (IIIF Image\n"
           "API 3.0, level 0); serve it as the image service --id. dz: OUT is a folder with\n"
           "image.dzi and image_files/ for OpenSeadragon. ptif: OUT is a pyramidal tiled TIFF.\n"
           "OUT appears when complete; an existing OUT is replaced in one step.\n"
           "Example: findbuch tile scan.tif tiles/page1 --id https://archiv.example/iiif/page1";
  }
  void add_options(po::options_description& o, po::positional_options_description& p) override {
    o.add_options()("in", po::value<std::string>(), "the image")(
        "out", po::value<std::string>(), "the folder (iiif3, dz) or file (ptif) to write")(
        "layout", po::value<std::string>()->default_value("iiif3"), "iiif3, dz or ptif")(
        "tile-size", po::value<int>()->default_value(0),
        "tile side in pixels (default: iiif3 512, dz 254, ptif 256)")(
        "overlap", po::value<int>()->default_value(1), "dz: tile overlap in pixels")(
        "quality", po::value<int>()->default_value(85), "JPEG quality 1 … 100")(
        "id", po::value<std::string>(),
        "iiif3: the image service's URL (default http://localhost/iiif/<OUT's name>)")(
        "max-width", po::value<std::uint64_t>()->default_value(0),
        "iiif3: largest width clients may ask for (0: no limit)")(
        "max-height", po::value<std::uint64_t>()->default_value(0),
        "iiif3: largest height clients may ask for (0: no limit)")(
        "max-area", po::value<std::uint64_t>()->default_value(0),
        "iiif3: largest area in pixels clients may ask for (0: no limit)")(
        "compression", po::value<std::string>()->default_value("jpeg"), "ptif: jpeg or deflate")(
        "jobs", po::value<int>()->default_value(0), "encoding threads (default: one per core)")(
        "max-pixels", po::value<std::uint64_t>()->default_value(1'000'000'000),
        "refuse larger images (decompression bombs)");
    p.add("in", 1).add("out", 1);
  }
  void setup(const po::variables_map& vm) override {
    in_ = required(vm, "in", "the input image IN");
    out_ = required(vm, "out", "the output OUT");
    options_.layout = parse_tile_layout(vm["layout"].as<std::string>());
    options_.tile_size = vm["tile-size"].as<int>();
    options_.overlap = vm["overlap"].as<int>();
    if (options_.overlap < 0) throw UsageError("--overlap must not be negative");
    options_.quality = vm["quality"].as<int>();
    options_.id = vm.count("id") ? vm["id"].as<std::string>()
                                 : "http://localhost/iiif/" + out_.filename().string();
    options_.max_width = vm["max-width"].as<std::uint64_t>();
    options_.max_height = vm["max-height"].as<std::uint64_t>();
    options_.max_area = vm["max-area"].as<std::uint64_t>();
    const std::string compression = vm["compression"].as<std::string>();
    if (compression != "jpeg" && compression != "deflate") {
      throw UsageError("unknown --compression " + in_quotes(compression) +
                       " (use jpeg or deflate)");
    }
    options_.deflate = compression == "deflate";
    options_.threads = vm["jobs"].as<int>();
    if (options_.threads < 0) throw UsageError("--jobs must not be negative");
    options_.max_pixels = vm["max-pixels"].as<std::uint64_t>();
    if (out_.filename().empty()) out_ = out_.parent_path();  // "tiles/page1/"
    check_tile_options(options_);
  }
  int run(Context& ctx) override {
    const TileResult r = tile_file(in_, out_, options_);
    ctx.out << "wrote " << out_.string() << " (" << layout_id(options_.layout) << ", " << r.width
            << "×" << r.height << ", " << r.scale_factors.size() << " levels, " << r.files
            << (options_.layout == TileLayout::ptif ? " tiles, " : " files, ") << megabytes(r.bytes)
            << ")\n";
    return 0;
  }

 private:
  fs::path in_, out_;
  TileOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_tile_command() {
  return std::make_unique<TileCommand>();
}

}  // namespace findbuch::cli
