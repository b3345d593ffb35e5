#include "pipeline/pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "pipeline/shipped_pipelines.hpp"

namespace findbuch {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// One parameter of a stage: how to check it, how to store it, how to write it back.
// The table below is the loader's half of schemas/pipeline.schema.json; a test keeps them equal.
struct Field {
  std::string name;
  std::string allowed;  ///< for messages: "a number from 0.5 to 15"
  std::function<bool(const json&)> valid;
  std::function<void(const json&, StageParams&)> set;
  std::function<json(const StageParams&)> get;
};

struct StageSpec {
  std::string name;
  StageParams defaults;
  std::vector<Field> fields;
};

std::string number_text(double v) {
  json j = v;
  return j.dump();
}

template <class P>
Field number(std::string name, double lo, double hi, double P::*member) {
  return {name, "a number from " + number_text(lo) + " to " + number_text(hi),
          [=](const json& v) {
            return v.is_number() && v.get<double>() >= lo && v.get<double>() <= hi;
          },
          [=](const json& v, StageParams& p) { std::get<P>(p).*member = v.get<double>(); },
          [=](const StageParams& p) { return json(std::get<P>(p).*member); }};
}

template <class P>
Field integer(std::string name, int lo, int hi, int P::*member, std::string allowed = "") {
  if (allowed.empty())
    allowed = "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
  return {name, allowed,
          [=](const json& v) {
            return v.is_number_integer() && v.get<long long>() >= lo && v.get<long long>() <= hi;
          },
          [=](const json& v, StageParams& p) { std::get<P>(p).*member = v.get<int>(); },
          [=](const StageParams& p) { return json(std::get<P>(p).*member); }};
}

template <class P>
Field boolean(std::string name, bool P::*member) {
  return {name, "true or false", [](const json& v) { return v.is_boolean(); },
          [=](const json& v, StageParams& p) { std::get<P>(p).*member = v.get<bool>(); },
          [=](const StageParams& p) { return json(std::get<P>(p).*member); }};
}

bool valid_role(const json& v) {
  if (!v.is_string()) return false;
  const std::string s = v.get<std::string>();
  if (s.empty() || s.size() > 32 || !std::islower(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == '-';
  });
}

const std::vector<StageSpec>& stage_specs() {
  static const std::vector<StageSpec> specs = {
      {"deskew",
       DeskewParams{},
       {number("max_angle_deg", 0.5, 15, &DeskewParams::max_angle_deg),
        number("min_angle_deg", 0, 5, &DeskewParams::min_angle_deg),
        number("min_confidence", 1, 100, &DeskewParams::min_confidence)}},
      {"page",
       PageParams{},
       {integer("margin_px", 0, 1000, &PageParams::margin_px),
        boolean("print_only", &PageParams::print_only)}},
      {"split", SplitParams{}, {number("min_aspect", 0.5, 5, &SplitParams::min_aspect)}},
      {"despeckle",
       DespeckleParams{},
       {integer("max_size_px", 1, 50, &DespeckleParams::max_size_px)}},
      {"background",
       BackgroundParams{},
       {integer("window_px", 0, 2000, &BackgroundParams::window_px,
                "0 (from the resolution) or a whole number up to 2000")}},
      {"binarise",
       BinariseParams{},
       {integer("window_px", 0, 2001, &BinariseParams::window_px,
                "0 (from the resolution) or a whole number up to 2001"),
        number("k", 0.01, 1, &BinariseParams::k)}},
      {"rotate",
       RotateParams{},
       {{"degrees", "one of 0, 90, 180, 270",
         [](const json& v) {
           return v.is_number_integer() && (v == 0 || v == 90 || v == 180 || v == 270);
         },
         [](const json& v, StageParams& p) { std::get<RotateParams>(p).degrees = v.get<int>(); },
         [](const StageParams& p) { return json(std::get<RotateParams>(p).degrees); }}}},
      {"save",
       SaveParams{},
       {{"role", "lower-case letters, digits and '-', starting with a letter (e.g. access, ocr)",
         valid_role,
         [](const json& v, StageParams& p) { std::get<SaveParams>(p).role = v.get<std::string>(); },
         [](const StageParams& p) { return json(std::get<SaveParams>(p).role); }},
        {"format", "one of tiff, jpeg, png",
         [](const json& v) { return v == "tiff" || v == "jpeg" || v == "png"; },
         [](const json& v, StageParams& p) {
           auto& w = std::get<SaveParams>(p).write;
           w.format = v == "tiff"   ? ImageFormat::tiff
                      : v == "jpeg" ? ImageFormat::jpeg
                                    : ImageFormat::png;
         },
         [](const StageParams& p) {
           return json(format_id(std::get<SaveParams>(p).write.format));
         }},
        {"quality", "a whole number from 1 to 100 (JPEG only)",
         [](const json& v) {
           return v.is_number_integer() && v.get<long long>() >= 1 && v.get<long long>() <= 100;
         },
         [](const json& v, StageParams& p) {
           std::get<SaveParams>(p).write.jpeg_quality = v.get<int>();
         },
         [](const StageParams& p) { return json(std::get<SaveParams>(p).write.jpeg_quality); }},
        {"compression", "one of deflate, lzw, none (TIFF only)",
         [](const json& v) { return v == "deflate" || v == "lzw" || v == "none"; },
         [](const json& v, StageParams& p) {
           std::get<SaveParams>(p).write.tiff_compression = v == "lzw" ? TiffCompression::lzw
                                                            : v == "none"
                                                                ? TiffCompression::none
                                                                : TiffCompression::deflate;
         },
         [](const StageParams& p) {
           const auto c = std::get<SaveParams>(p).write.tiff_compression;
           return json(c == TiffCompression::lzw    ? "lzw"
                       : c == TiffCompression::none ? "none"
                                                    : "deflate");
         }}}},
  };
  return specs;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string short_json(const json& v) {
  std::string text = v.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

Stage parse_stage(const json& j, std::size_t index, const std::string& source) {
  const std::string where = source + ": stage " + std::to_string(index + 1);
  if (!j.is_object()) throw InputError(where + ": must be an object like {\"stage\": \"deskew\"}");
  auto name_it = j.find("stage");
  if (name_it == j.end() || !name_it->is_string())
    throw InputError(where + ": field \"stage\" is missing; allowed: " + joined(stage_names()));
  const std::string name = name_it->get<std::string>();
  const auto& specs = stage_specs();
  auto spec =
      std::find_if(specs.begin(), specs.end(), [&](const StageSpec& s) { return s.name == name; });
  if (spec == specs.end())
    throw InputError(where + ": unknown stage " + in_quotes(name) +
                     "; allowed: " + joined(stage_names()));
  const std::string at = where + " (" + name + ")";
  Stage stage{name, spec->defaults};
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() == "stage") continue;
    auto field = std::find_if(spec->fields.begin(), spec->fields.end(),
                              [&](const Field& f) { return f.name == it.key(); });
    if (field == spec->fields.end()) {
      std::vector<std::string> allowed;
      for (const auto& f : spec->fields) allowed.push_back(f.name);
      throw InputError(at + ": unknown field " + in_quotes(it.key()) +
                       "; allowed: " + (allowed.empty() ? "none" : joined(allowed)));
    }
    if (!field->valid(it.value()))
      throw InputError(at + ": field " + in_quotes(field->name) + " must be " + field->allowed +
                       ", not " + short_json(it.value()));
    field->set(it.value(), stage.params);
  }
  if (name == "save") {
    const auto& save = std::get<SaveParams>(stage.params);
    if (j.contains("quality") && save.write.format != ImageFormat::jpeg)
      throw InputError(at + ": field \"quality\" applies to format jpeg only");
    if (j.contains("compression") && save.write.format != ImageFormat::tiff)
      throw InputError(at + ": field \"compression\" applies to format tiff only");
    if (!j.contains("format"))
      throw InputError(at + ": field \"format\" is missing; allowed: tiff, jpeg, png");
  }
  return stage;
}

}  // namespace

json stage_parameters(const Stage& stage) {
  json j = json::object();
  for (const auto& spec : stage_specs()) {
    if (spec.name != stage.name) continue;
    for (const auto& f : spec.fields) j[f.name] = f.get(stage.params);
  }
  return j;
}

const std::vector<std::string>& stage_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& s : stage_specs()) n.push_back(s.name);
    return n;
  }();
  return names;
}

std::vector<std::string> stage_fields(const std::string& stage) {
  std::vector<std::string> names;
  for (const auto& s : stage_specs())
    if (s.name == stage)
      for (const auto& f : s.fields) names.push_back(f.name);
  return names;
}

Pipeline parse_pipeline(const std::string& json_text, const std::string& source) {
  json j;
  try {
    j = json::parse(json_text);
  } catch (const json::parse_error& e) {
    throw InputError(source + ": not valid JSON (" + e.what() + ")");
  }
  if (!j.is_object()) throw InputError(source + ": a pipeline must be a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "$schema" && it.key() != "name" && it.key() != "description" &&
        it.key() != "stages")
      throw InputError(source + ": unknown field " + in_quotes(it.key()) +
                       "; allowed: name, description, stages, $schema");
  Pipeline p;
  p.source = source;
  const json name = j.value("name", json());
  if (!valid_role(name))
    throw InputError(source +
                     ": field \"name\" must be lower-case letters, digits and '-', "
                     "starting with a letter");
  p.name = name.get<std::string>();
  if (j.contains("description")) {
    if (!j["description"].is_string())
      throw InputError(source + ": field \"description\" must be a string");
    p.description = j["description"].get<std::string>();
  }
  if (!j.contains("stages") || !j["stages"].is_array() || j["stages"].empty())
    throw InputError(source + ": field \"stages\" must be a non-empty list of stages");
  const json& stages = j["stages"];
  std::set<std::string> roles;
  int splits = 0;
  json canonical = json::array();
  for (std::size_t i = 0; i < stages.size(); ++i) {
    Stage stage = parse_stage(stages[i], i, source);
    if (stage.name == "split" && ++splits > 1)
      throw InputError(source + ": stage " + std::to_string(i + 1) +
                       " (split): a pipeline splits spreads at most once");
    if (stage.name == "save" && !roles.insert(std::get<SaveParams>(stage.params).role).second)
      throw InputError(source + ": stage " + std::to_string(i + 1) + " (save): role " +
                       in_quotes(std::get<SaveParams>(stage.params).role) +
                       " is saved twice; give each save stage its own role");
    json entry = {{"stage", stage.name}};
    entry.update(stage_parameters(stage));
    canonical.push_back(std::move(entry));
    p.stages.push_back(std::move(stage));
  }
  if (roles.empty())
    throw InputError(source +
                     ": no save stage; add one, e.g. {\"stage\": \"save\", \"role\": "
                     "\"access\", \"format\": \"jpeg\"}");
  p.sha256 = sha256_hex(canonical.dump());
  return p;
}

std::vector<std::string> shipped_pipeline_names() {
  std::vector<std::string> names;
  for (const auto& s : shipped_pipelines()) names.emplace_back(s.name);
  return names;
}

Pipeline load_pipeline(const std::string& name_or_file) {
  const bool is_file =
      name_or_file.find('/') != std::string::npos || fs::path(name_or_file).extension() == ".json";
  if (is_file) return parse_pipeline(read_file(name_or_file, 1 << 20), name_or_file);
  for (const auto& s : shipped_pipelines())
    if (s.name == name_or_file)
      return parse_pipeline(std::string(s.json), "pipelines/" + name_or_file + ".json (built in)");
  throw UsageError("no pipeline named " + in_quotes(name_or_file) + "; shipped: " +
                   joined(shipped_pipeline_names()) + ", or give the path of a JSON file");
}

}  // namespace findbuch
