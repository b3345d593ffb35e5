// pagegen: writes one synthetic scan (page_generator.hpp) and prints its geometry as JSON, for
// benchmarks, demos and trying out the cleaning stages by hand.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "imaging/image_io.hpp"
#include "pagegen/page_generator.hpp"

namespace {

using findbuch::UsageError;
using findbuch::pagegen::Bed;
using findbuch::pagegen::PageSpec;

constexpr std::string_view kUsage =
    "usage: pagegen [options] OUT.(tif|png|jpg)\n"
    "  --skew DEG          clockwise skew of the content (default 0)\n"
    "  --bed none|white|dark  scanner bed around the sheet (default none)\n"
    "  --margin PX         visible bed on each side (default 0)\n"
    "  --spread            two pages side by side with a fold\n"
    "  --grey              one channel instead of RGB\n"
    "  --bits 8|16         bits per sample (default 8)\n"
    "  --bitonal           thresholded to black and white\n"
    "  --noise SIGMA       Gaussian noise in 8-bit grey levels (default 0)\n"
    "  --dust N            dark specks of 1-3 px on the paper (default 0)\n"
    "  --illumination F    0 ... 0.5, darker towards one corner (default 0)\n"
    "  --seed N            random seed (default 1)\n"
    "  --width W --height H  sheet size in pixels (default A4 at the resolution)\n"
    "  --ppi P             resolution (default 300)\n"
    "Prints {\"skew_deg\": ..., \"sheet\": [x, y, w, h], \"fold_x\": ...} (fold_x null for single "
    "pages).\n";

double number(std::string_view option, const char* value) {
  char* end = nullptr;
  const double parsed = std::strtod(value, &end);
  if (end == value || *end != '\0')
    throw UsageError(std::string(option) + ": not a number: " + findbuch::in_quotes(value));
  return parsed;
}

int whole(std::string_view option, const char* value) {
  const double parsed = number(option, value);
  if (parsed != static_cast<int>(parsed))
    throw UsageError(std::string(option) + ": not a whole number: " + findbuch::in_quotes(value));
  return static_cast<int>(parsed);
}

int run(int argc, char** argv) {
  PageSpec spec;
  std::optional<int> width;
  std::optional<int> height;
  std::string out;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&]() -> const char* {
      if (i + 1 >= argc) throw UsageError(std::string(arg) + " needs a value");
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--skew") {
      spec.skew_deg = number(arg, value());
    } else if (arg == "--bed") {
      const std::string_view bed = value();
      if (bed == "none") {
        spec.bed = Bed::none;
      } else if (bed == "white") {
        spec.bed = Bed::white;
      } else if (bed == "dark") {
        spec.bed = Bed::dark;
      } else {
        throw UsageError("--bed: one of none, white, dark, not " + findbuch::in_quotes(bed));
      }
    } else if (arg == "--margin") {
      spec.bed_margin_px = whole(arg, value());
    } else if (arg == "--spread") {
      spec.spread = true;
    } else if (arg == "--grey" || arg == "--gray") {
      spec.channels = 1;
    } else if (arg == "--bits") {
      spec.bits = whole(arg, value());
    } else if (arg == "--bitonal") {
      spec.bitonal = true;
    } else if (arg == "--noise") {
      spec.noise_sigma = number(arg, value());
    } else if (arg == "--dust") {
      spec.dust_specks = whole(arg, value());
    } else if (arg == "--illumination") {
      spec.illumination = number(arg, value());
    } else if (arg == "--seed") {
      const double seed = number(arg, value());
      if (seed < 0 || seed > 4294967295.0 ||
          seed != static_cast<double>(static_cast<long long>(seed)))
        throw UsageError("--seed: a whole number 0 … 4294967295");
      spec.seed = static_cast<std::uint32_t>(seed);
    } else if (arg == "--width") {
      width = whole(arg, value());
    } else if (arg == "--height") {
      height = whole(arg, value());
    } else if (arg == "--ppi") {
      spec.ppi = number(arg, value());
    } else if (arg.starts_with("-")) {
      throw UsageError("unknown option " + findbuch::in_quotes(arg));
    } else if (out.empty()) {
      out = arg;
    } else {
      throw UsageError("one output file only");
    }
  }
  if (out.empty()) throw UsageError("no output file");
  // A4 (210 × 297 mm) at the resolution unless given.
  spec.sheet_width = width.value_or(static_cast<int>(std::lround(210 / 25.4 * spec.ppi)));
  spec.sheet_height = height.value_or(static_cast<int>(std::lround(297 / 25.4 * spec.ppi)));

  const findbuch::ImageFormat format = findbuch::format_for_extension(out);
  const findbuch::pagegen::Page page = findbuch::pagegen::generate(spec);
  findbuch::write_image(page.image, out, findbuch::WriteOptions{.format = format});
  std::cout << "{\"skew_deg\": " << spec.skew_deg << ", \"sheet\": [" << page.sheet.x << ", "
            << page.sheet.y << ", " << page.sheet.width << ", " << page.sheet.height
            << "], \"fold_x\": " << (page.fold_x >= 0 ? std::to_string(page.fold_x) : "null")
            << "}\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "pagegen: " << e.what() << "\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "pagegen: " << e.what() << "\n";
    return 1;
  }
}
