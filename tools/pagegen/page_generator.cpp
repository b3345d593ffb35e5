// Renders a synthetic scan in three layers, all in the output image's coordinates:
//  1. the sheet's reflectance (paper, gutter shadow, printed text) drawn upright at sheet size,
//     then rotated by the skew with bilinear interpolation, which also antialiases the glyph edges;
//  2. how much of each pixel the sheet covers (for the bed around it and the lid shadow);
//  3. per pixel: tint, bed, illumination gradient and sensor noise, then depth and bitonal.
// Everything random comes from one std::mt19937 seeded with spec.seed (the noise from a cv::RNG
// seeded from it), so the same spec always gives the same pixels.
#include "pagegen/page_generator.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "imaging/mat_view.hpp"

namespace findbuch::pagegen {
namespace {

constexpr double kPi = 3.14159265358979323846;

/// Type sizes in pixels derived from the resolution: 10 pt type on 12 pt leading (6 lines/inch).
struct Font {
  int line_height;  ///< baseline to baseline
  int x_height;
  int ascender;   ///< height of l, d, capitals above the baseline
  int descender;  ///< depth of p, g below the baseline
  int stroke;
  int letter_width;
  int letter_gap;
  int word_gap;
};

Font font_for(double ppi, double scale = 1.0) {
  const double em = ppi / 7.2 * scale;
  Font f{};
  f.line_height = std::max(4, static_cast<int>(std::lround(ppi / 6 * scale)));
  f.x_height = std::max(2, static_cast<int>(std::lround(0.46 * em)));
  f.ascender = std::max(f.x_height + 1, static_cast<int>(std::lround(0.72 * em)));
  f.descender = std::max(1, static_cast<int>(std::lround(0.22 * em)));
  f.stroke = std::max(1, static_cast<int>(std::lround(0.09 * em)));
  f.letter_width = std::max(2, static_cast<int>(std::lround(0.5 * em)));
  f.letter_gap = std::max(1, static_cast<int>(std::lround(0.07 * em)));
  f.word_gap = std::max(2, static_cast<int>(std::lround(0.3 * em)));
  return f;
}

/// Draws onto the sheet's reflectance layer; clips to the sheet.
class Painter {
 public:
  Painter(cv::Mat& sheet, std::uint8_t ink) : sheet_(sheet), ink_(ink) {}

  void fill(int x, int y, int w, int h) {
    const cv::Rect r = cv::Rect(x, y, w, h) & cv::Rect(0, 0, sheet_.cols, sheet_.rows);
    if (r.area() > 0) sheet_(r).setTo(ink_);
  }
  void frame(int x, int y, int w, int h, int t) {
    fill(x, y, w, t);
    fill(x, y + h - t, w, t);
    fill(x, y, t, h);
    fill(x + w - t, y, t, h);
  }

  /// One letter-like glyph of width w standing on `baseline`; `shape` 0 … 8 picks o n l d p e i,
  /// a capital or r.
  void glyph(int x, int baseline, int w, const Font& f, int shape) {
    const int t = f.stroke;
    const int xh = f.x_height;
    const int top = baseline - xh;
    switch (shape) {
      case 0:  // o
        frame(x, top, w, xh, t);
        break;
      case 1:  // n
        fill(x, top, t, xh);
        fill(x + w - t, top + t, t, xh - t);
        fill(x, top, w - t / 2, t);
        break;
      case 2:  // l
        fill(x + w / 2 - t / 2, baseline - f.ascender, t, f.ascender);
        break;
      case 3:  // d
        frame(x, top, w, xh, t);
        fill(x + w - t, baseline - f.ascender, t, f.ascender);
        break;
      case 4:  // p
        frame(x, top, w, xh, t);
        fill(x, top, t, xh + f.descender);
        break;
      case 5:  // e
        frame(x, top, w, xh, t);
        fill(x, top + xh / 2 - t / 2, w, t);
        break;
      case 6:  // i
        fill(x + w / 2 - t / 2, top, t, xh);
        fill(x + w / 2 - t / 2, top - 2 * t, t, t);
        break;
      case 7:  // capital
        fill(x, baseline - f.ascender, t, f.ascender);
        fill(x, baseline - f.ascender, w, t);
        fill(x, baseline - t, w, t);
        fill(x + w - t, baseline - f.ascender, t, f.ascender);
        break;
      default:  // r
        fill(x, top, t, xh);
        fill(x, top, w * 2 / 3, t);
        break;
    }
  }

 private:
  cv::Mat& sheet_;
  std::uint8_t ink_;
};

int uniform_int(std::mt19937& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}
double uniform_real(std::mt19937& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

/// Words of one line from x0 up to at most x1; returns where the text ended.
int typeset_line(Painter& paint, std::mt19937& rng, const Font& f, int x0, int x1, int baseline,
                 bool capital_first) {
  int x = x0;
  bool first = true;
  while (true) {
    const int letters = uniform_int(rng, 1, 9);
    std::vector<int> widths(static_cast<std::size_t>(letters));
    int word = 0;
    for (int& w : widths) {
      w = std::max(2 * f.stroke + 1,
                   f.letter_width + uniform_int(rng, -f.letter_width / 3, f.letter_width / 4));
      word += w + f.letter_gap;
    }
    if (x + word > x1) break;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const int shape = (i == 0 && first && capital_first) ? 7 : uniform_int(rng, 0, 8);
      paint.glyph(x, baseline, widths[i], f, shape == 7 && i > 0 ? 0 : shape);
      x += widths[i] + f.letter_gap;
    }
    first = false;
    x += f.word_gap;
  }
  return x;
}

/// A page's text block: an optional heading, then paragraphs of ragged-right lines.
void typeset_page(Painter& paint, std::mt19937& rng, double ppi, const cv::Rect& block,
                  bool heading) {
  const Font body = font_for(ppi);
  int baseline = block.y + body.ascender;
  if (heading) {
    const Font big = font_for(ppi, 1.7);
    const int width = block.width * uniform_int(rng, 35, 65) / 100;
    const int x = block.x + (block.width - width) / 2;
    typeset_line(paint, rng, big, x, x + width, block.y + big.ascender, true);
    baseline = block.y + big.line_height + body.line_height + body.ascender;
  }
  const int bottom = block.y + block.height - body.descender;
  while (baseline <= bottom) {
    const int lines = uniform_int(rng, 3, 9);
    for (int i = 0; i < lines && baseline <= bottom; ++i) {
      const int indent = i == 0 ? 3 * body.letter_width : 0;
      const bool last = i == lines - 1;
      const int end =
          last ? block.x + block.width * uniform_int(rng, 25, 90) / 100 : block.x + block.width;
      typeset_line(paint, rng, body, block.x + indent, end, baseline, i == 0);
      baseline += body.line_height;
    }
    baseline += body.line_height / 2;  // paragraph gap
  }
}

/// Paper brightness factor across the sheet: 1, except the gutter shadow of a spread.
std::vector<float> paper_shade(int width, int fold, double ppi) {
  std::vector<float> shade(static_cast<std::size_t>(width), 1.0F);
  if (fold < 0) return shade;
  const double narrow = 0.06 * ppi;
  const double wide = 0.45 * ppi;
  for (int x = 0; x < width; ++x) {
    const double d = x + 0.5 - fold;
    shade[static_cast<std::size_t>(x)] =
        static_cast<float>(1.0 - 0.35 * std::exp(-(d * d) / (narrow * narrow)) -
                           0.18 * std::exp(-(d * d) / (wide * wide)));
  }
  return shade;
}

/// Dust specks are placed only where the paper around them is free of ink.
bool clear_of_ink(const cv::Mat& sheet, int x, int y, int radius, std::uint8_t ink) {
  const cv::Rect r = cv::Rect(x - radius, y - radius, 2 * radius + 1, 2 * radius + 1) &
                     cv::Rect(0, 0, sheet.cols, sheet.rows);
  for (int yy = r.y; yy < r.y + r.height; ++yy) {
    const std::uint8_t* row = sheet.ptr<std::uint8_t>(yy);
    for (int xx = r.x; xx < r.x + r.width; ++xx)
      if (row[xx] == ink) return false;
  }
  return true;
}

void validate(const PageSpec& spec) {
  if (spec.sheet_width < 16 || spec.sheet_height < 16)
    throw InputError("pagegen: sheet_width and sheet_height must be at least 16 pixels");
  if (!(spec.ppi >= 10 && spec.ppi <= 2400)) throw InputError("pagegen: ppi must be 10 … 2400");
  if (!(std::abs(spec.skew_deg) <= 45)) throw InputError("pagegen: skew_deg must be −45 … 45");
  if (spec.bed_margin_px < 0) throw InputError("pagegen: bed_margin_px must not be negative");
  if (spec.channels != 1 && spec.channels != 3)
    throw InputError("pagegen: channels must be 1 or 3");
  if (spec.bits != 8 && spec.bits != 16) throw InputError("pagegen: bits must be 8 or 16");
  if (!(spec.noise_sigma >= 0)) throw InputError("pagegen: noise_sigma must not be negative");
  if (spec.dust_specks < 0) throw InputError("pagegen: dust_specks must not be negative");
  if (!(spec.illumination >= 0 && spec.illumination <= 0.5))
    throw InputError("pagegen: illumination must be 0 … 0.5");
}

}  // namespace

Page generate(const PageSpec& spec) {
  validate(spec);
  std::mt19937 rng(spec.seed);
  const double ppi = spec.ppi;
  const int sheet_w = spec.spread ? 2 * spec.sheet_width : spec.sheet_width;
  const int sheet_h = spec.sheet_height;
  const int fold = spec.spread ? spec.sheet_width : -1;

  // Paper and ink reflectance (8-bit grey levels) and their tint for colour scans.
  const double paper = uniform_real(rng, 235, 245);
  const auto ink = static_cast<std::uint8_t>(uniform_int(rng, 22, 42));
  const std::array<float, 3> tint = {1.0F, static_cast<float>(uniform_real(rng, 0.975, 0.99)),
                                     static_cast<float>(uniform_real(rng, 0.93, 0.96))};

  // Layer 1, upright: paper with the gutter shadow, then the text blocks.
  cv::Mat sheet(sheet_h, sheet_w, CV_8UC1);
  {
    const std::vector<float> shade = paper_shade(sheet_w, fold, ppi);
    std::uint8_t* first = sheet.ptr<std::uint8_t>(0);
    for (int x = 0; x < sheet_w; ++x)
      first[x] = cv::saturate_cast<std::uint8_t>(paper * shade[static_cast<std::size_t>(x)]);
    for (int y = 1; y < sheet_h; ++y)
      std::memcpy(sheet.ptr(y), first, static_cast<std::size_t>(sheet_w));
  }
  Painter paint(sheet, ink);
  const int page_w = spec.sheet_width;
  for (int page = 0; page < (spec.spread ? 2 : 1); ++page) {
    // Margins of about an inch, never more than a fifth of the page.
    const auto margin = [&](double inches, int extent) {
      return std::min(static_cast<int>(std::lround(inches * ppi)), extent / 5);
    };
    const int outer = margin(uniform_real(rng, 0.85, 1.1), page_w);
    const int inner = margin(uniform_real(rng, 0.75, 1.0), page_w);
    const int top = margin(uniform_real(rng, 0.8, 1.1), sheet_h);
    const int bottom = margin(uniform_real(rng, 0.9, 1.2), sheet_h);
    const int left = page == 0 ? outer : inner;
    const int right = page == 0 ? (spec.spread ? inner : outer) : outer;
    const cv::Rect block(page * page_w + left, top, page_w - left - right, sheet_h - top - bottom);
    if (block.width > 0 && block.height > 0)
      typeset_page(paint, rng, ppi, block, page == 0 && uniform_int(rng, 0, 1) == 1);
  }

  // Geometry: rotate clockwise (y down) by the skew about the sheet centre.
  const double rad = spec.skew_deg * kPi / 180;
  const double c = std::cos(rad);
  const double s = std::sin(rad);
  const bool bed = spec.bed != Bed::none;
  const double box_w = bed ? sheet_w * std::abs(c) + sheet_h * std::abs(s) : sheet_w;
  const double box_h = bed ? sheet_w * std::abs(s) + sheet_h * std::abs(c) : sheet_h;
  const int margin = bed ? spec.bed_margin_px : 0;
  const int width = static_cast<int>(std::ceil(box_w - 1e-9)) + 2 * margin;
  const int height = static_cast<int>(std::ceil(box_h - 1e-9)) + 2 * margin;
  const cv::Point2d from((sheet_w - 1) / 2.0, (sheet_h - 1) / 2.0);
  const cv::Point2d to((width - 1) / 2.0, (height - 1) / 2.0);
  cv::Matx23d forward(c, -s, to.x - (c * from.x - s * from.y), s, c,
                      to.y - (s * from.x + c * from.y));

  // Dust, chosen in sheet coordinates (away from ink), drawn after the rotation so specks keep
  // their 1–3 px size.
  struct Speck {
    cv::Point2d at;
    int w, h;
    std::uint8_t level;
  };
  std::vector<Speck> specks;
  const int keep_off =
      std::min({std::max(2, static_cast<int>(0.1 * ppi)), sheet_w / 4, sheet_h / 4});
  for (int i = 0, tries = 0; i < spec.dust_specks && tries < 50 * spec.dust_specks + 100; ++tries) {
    const int x = uniform_int(rng, keep_off, sheet_w - 1 - keep_off);
    const int y = uniform_int(rng, keep_off, sheet_h - 1 - keep_off);
    const int w = uniform_int(rng, 1, 3);
    const int h = std::clamp(w + uniform_int(rng, -1, 1), 1, 3);
    const auto level = static_cast<std::uint8_t>(uniform_int(rng, 30, 90));
    if (!clear_of_ink(sheet, x, y, std::max(3, static_cast<int>(0.04 * ppi)), ink)) continue;
    specks.push_back({cv::Point2d(forward(0, 0) * x + forward(0, 1) * y + forward(0, 2),
                                  forward(1, 0) * x + forward(1, 1) * y + forward(1, 2)),
                      w, h, level});
    ++i;
  }

  // Layers 1 and 2 in output coordinates.
  cv::Mat reflect;
  if (!bed && spec.skew_deg == 0) {
    reflect = sheet;
  } else {
    // Beyond the sheet the content continues as plain paper (bed none: the corners the rotation
    // uncovers are paper; with a bed the coverage mask hides it).
    cv::warpAffine(sheet, reflect, forward, cv::Size(width, height), cv::INTER_LINEAR,
                   cv::BORDER_CONSTANT, cv::Scalar(paper));
  }
  sheet.release();
  cv::Mat coverage;
  cv::Mat shadow;
  const int shadow_shift = std::max(1, static_cast<int>(std::lround(ppi / 150)));
  if (bed) {
    cv::warpAffine(cv::Mat(sheet_h, sheet_w, CV_8UC1, cv::Scalar(255)), coverage, forward,
                   cv::Size(width, height), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
    if (spec.bed == Bed::white) {
      const int k = std::max(3, static_cast<int>(std::lround(ppi / 40)) | 1);
      cv::blur(coverage, shadow, cv::Size(k, k));
    }
  }
  for (const Speck& d : specks) {
    const cv::Rect r = cv::Rect(static_cast<int>(std::lround(d.at.x)) - d.w / 2,
                                static_cast<int>(std::lround(d.at.y)) - d.h / 2, d.w, d.h) &
                       cv::Rect(0, 0, width, height);
    if (r.area() > 0) reflect(r).setTo(d.level);
  }

  // The bed: a white lid (slightly cool) or a dark, unevenly lit bed.
  const double bed_base =
      spec.bed == Bed::white ? uniform_real(rng, 248, 252) : uniform_real(rng, 24, 34);
  const std::array<float, 3> bed_tint = spec.bed == Bed::white
                                            ? std::array<float, 3>{0.995F, 1.0F, 1.0F}
                                            : std::array<float, 3>{0.95F, 0.97F, 1.0F};
  std::vector<float> bed_col(static_cast<std::size_t>(width), 0.0F);
  std::vector<float> bed_row(static_cast<std::size_t>(height), 0.0F);
  if (spec.bed == Bed::dark) {
    const double fx = uniform_real(rng, 0.7, 1.6), px = uniform_real(rng, 0, 2 * kPi);
    const double fy = uniform_real(rng, 0.7, 1.6), py = uniform_real(rng, 0, 2 * kPi);
    for (int x = 0; x < width; ++x)
      bed_col[static_cast<std::size_t>(x)] =
          static_cast<float>(6 * std::sin(2 * kPi * fx * x / width + px));
    for (int y = 0; y < height; ++y)
      bed_row[static_cast<std::size_t>(y)] =
          static_cast<float>(5 * std::sin(2 * kPi * fy * y / height + py));
  }

  // Layer 3: compose into the output samples.
  const bool bitonal = spec.bitonal;
  const int channels = bitonal ? 1 : spec.channels;
  const int bits = bitonal ? 8 : spec.bits;
  Page out;
  out.image = Image::blank(width, height, channels, bits);
  out.image.ppi_x = out.image.ppi_y = ppi;
  out.image.bitonal = bitonal;
  cv::Mat dst = mat_view(out.image);
  const float threshold = static_cast<float>((paper + ink) / 2);
  const std::uint64_t high = rng();  // two statements: the order of evaluation is fixed
  cv::RNG noise_rng(high << 32 | rng());
  cv::Mat noise(1, width * channels, CV_32F, cv::Scalar(0));
  const float illum = static_cast<float>(spec.illumination);
  const float inv_w = width > 1 ? 1.0F / static_cast<float>(width - 1) : 0.0F;
  const float inv_h = height > 1 ? 1.0F / static_cast<float>(height - 1) : 0.0F;
  std::array<float, 3> t{};
  std::array<float, 3> bt{};
  for (int ch = 0; ch < 3; ++ch) {
    t[static_cast<std::size_t>(ch)] = channels == 3 ? tint[static_cast<std::size_t>(ch)] : 0.98F;
    bt[static_cast<std::size_t>(ch)] =
        channels == 3 ? bed_tint[static_cast<std::size_t>(ch)] : 0.99F;
  }
  for (int y = 0; y < height; ++y) {
    if (spec.noise_sigma > 0)
      noise_rng.fill(noise, cv::RNG::NORMAL, cv::Scalar(0), cv::Scalar(spec.noise_sigma));
    const float* n = noise.ptr<float>(0);
    const std::uint8_t* g = reflect.ptr<std::uint8_t>(y);
    const std::uint8_t* m = bed ? coverage.ptr<std::uint8_t>(y) : nullptr;
    const std::uint8_t* halo = shadow.empty() ? nullptr : shadow.ptr<std::uint8_t>(y);
    const std::uint8_t* cast =
        shadow.empty() ? nullptr : shadow.ptr<std::uint8_t>(std::max(0, y - shadow_shift));
    const float ly = static_cast<float>(y) * inv_h;
    const float bed_y = bed_row[static_cast<std::size_t>(y)];
    std::uint8_t* d8 = dst.ptr<std::uint8_t>(y);
    std::uint16_t* d16 = dst.ptr<std::uint16_t>(y);
    for (int x = 0; x < width; ++x) {
      const float light = 1.0F - illum * 0.5F * (static_cast<float>(x) * inv_w + ly);
      const float cov = m ? static_cast<float>(m[x]) * (1.0F / 255) : 1.0F;
      float bed_level = 0;
      if (spec.bed == Bed::white) {
        // A faint halo all round the sheet, darker where the lid's light casts it (down right).
        const float dark = halo ? 0.25F * static_cast<float>(halo[x]) +
                                      0.2F * static_cast<float>(cast[std::max(0, x - shadow_shift)])
                                : 0.0F;
        bed_level = static_cast<float>(bed_base) - dark;
      } else if (spec.bed == Bed::dark) {
        bed_level = static_cast<float>(bed_base) + bed_col[static_cast<std::size_t>(x)] + bed_y;
      }
      const float refl = static_cast<float>(g[x]);
      for (int ch = 0; ch < channels; ++ch) {
        const auto k = static_cast<std::size_t>(ch);
        float v = light * (cov * refl * t[k] + (1 - cov) * bed_level * bt[k]);
        v += n[x * channels + ch];
        if (bitonal) {
          d8[x] = v > threshold * light ? 255 : 0;
        } else if (bits == 8) {
          d8[x * channels + ch] = cv::saturate_cast<std::uint8_t>(v);
        } else {
          d16[x * channels + ch] =
              cv::saturate_cast<std::uint16_t>(std::clamp(v, 0.0F, 255.0F) * 257);
        }
      }
    }
  }

  // Truth: the rotated sheet's bounding box and the fold's column through the sheet centre.
  if (bed) {
    const int x0 = static_cast<int>(std::floor(to.x - box_w / 2 + 0.5));
    const int y0 = static_cast<int>(std::floor(to.y - box_h / 2 + 0.5));
    const int x1 = static_cast<int>(std::ceil(to.x + box_w / 2 + 0.5 - 1e-9));
    const int y1 = static_cast<int>(std::ceil(to.y + box_h / 2 + 0.5 - 1e-9));
    out.sheet = {std::max(0, x0), std::max(0, y0), std::min(width, x1) - std::max(0, x0),
                 std::min(height, y1) - std::max(0, y0)};
  } else {
    out.sheet = {0, 0, width, height};
  }
  if (spec.spread) out.fold_x = static_cast<int>(std::lround(to.x));
  return out;
}

}  // namespace findbuch::pagegen
