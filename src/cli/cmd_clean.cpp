#include <cmath>
#include <ostream>

#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "imaging/image_io.hpp"
#include "pipeline/run_pipeline.hpp"

namespace findbuch::cli {
namespace {

namespace fs = std::filesystem;

// One line per stage for people; the --report JSON carries everything.
std::string stage_line(const nlohmann::json& s) {
  std::string line = s["name"].get<std::string>();
  if (s.contains("part")) line += " (page " + std::to_string(s["part"].get<int>()) + ")";
  line += ":";
  for (auto it = s.begin(); it != s.end(); ++it) {
    if (it.key() == "name" || it.key() == "params" || it.key() == "part") continue;
    line += " " + it.key() + "=" + it.value().dump();
  }
  return line;
}

class CleanCommand final : public Command {
 public:
  std::string_view name() const override { return "clean"; }
  std::string_view summary() const override {
    return "run a cleaning pipeline on one image, to try it out (no workspace needed)";
  }
  std::string_view arguments() const override { return "IN OUT"; }
  std::string_view details() const override {
    return "Writes OUT when the pipeline makes one image (its format follows OUT's extension:\n"
           ".tif, .jpg, .png). When it makes several (a split spread, several save stages),\n"
           "they go beside OUT as OUT-<page>-<role>.<ext>; the files written are listed.\n"
           "Example: findbuch clean scan.tif clean.jpg --pipeline akten --report report.json";
  }
  void add_options(po::options_description& o, po::positional_options_description& p) override {
    o.add_options()("in", po::value<std::string>(), "the image to clean")(
        "out", po::value<std::string>(), "where the result goes")(
        "pipeline", po::value<std::string>()->default_value("akten"),
        "NAME (akten, fotos, karten, zeitungen) or a JSON FILE")(
        "report", po::value<std::string>(),
        "write the stages' parameters and measurements as JSON")(
        "max-pixels", po::value<std::uint64_t>()->default_value(1'000'000'000),
        "refuse larger images (decompression bombs)");
    p.add("in", 1).add("out", 1);
  }
  void setup(const po::variables_map& vm) override {
    in_ = required(vm, "in", "the input image IN");
    out_ = required(vm, "out", "the output file OUT");
    pipeline_ = vm["pipeline"].as<std::string>();
    if (vm.count("report")) report_ = vm["report"].as<std::string>();
    max_pixels_ = vm["max-pixels"].as<std::uint64_t>();
    // Fail before any work when OUT names no image format.
    out_format_ = format_for_extension(out_);
  }
  int run(Context& ctx) override {
    const Pipeline pipeline = load_pipeline(pipeline_);
    int saves = 0;
    for (const auto& s : pipeline.stages) saves += s.name == "save";
    ReadOptions read;
    read.max_pixels = max_pixels_;
    Image image = read_image(in_, read);
    auto save = [&](const Image& page, int part, int parts, const SaveParams& s) {
      fs::path target = out_;
      WriteOptions options = s.write;
      if (parts == 1 && saves == 1) {
        options.format = out_format_;  // OUT's extension decides, as the user asked for it
      } else {
        std::string stem = out_.stem().string();
        if (parts > 1) stem.append("-").append(std::to_string(part));
        if (saves > 1) stem.append("-").append(s.role);
        target = out_.parent_path() / (stem + extension_of(s.write.format));
      }
      write_image(page, target, options);
      ctx.out << "wrote " << target.string() << " (" << page.width << "×" << page.height << ")\n";
      return target.string();
    };
    nlohmann::json report = run_pipeline(std::move(image), pipeline, save);
    report["input"] = in_.string();
    for (const auto& s : report["stages"])
      if (s["name"] != "save") ctx.out << "  " << stage_line(s) << "\n";
    if (!report_.empty()) write_file_atomic(report_, report.dump(2) + "\n");
    return 0;
  }

 private:
  fs::path in_, out_, report_;
  std::string pipeline_;
  std::uint64_t max_pixels_ = 0;
  ImageFormat out_format_ = ImageFormat::tiff;
};

}  // namespace

std::unique_ptr<Command> make_clean_command() {
  return std::make_unique<CleanCommand>();
}

}  // namespace findbuch::cli
