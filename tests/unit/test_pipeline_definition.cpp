// Proves that pipelines are checked data: the shipped ones load and say what the issue asks of
// them, the loader and schemas/pipeline.schema.json agree field by field, and every mistake is
// named by file, stage and field with the allowed values.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.hpp"
#include "pipeline/pipeline.hpp"

namespace findbuch {
namespace {

std::vector<std::string> names_of(const Pipeline& p) {
  std::vector<std::string> n;
  for (const auto& s : p.stages) n.push_back(s.name);
  return n;
}

std::string error_of(const std::string& json) {
  try {
    parse_pipeline(json, "mine.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(PipelineDefinition, ShippedPipelinesDoWhatTheirMaterialNeeds) {
  const auto shipped = shipped_pipeline_names();
  for (const char* name : {"akten", "fotos", "karten", "zeitungen"})
    EXPECT_NE(std::find(shipped.begin(), shipped.end(), name), shipped.end()) << name;

  const Pipeline akten = load_pipeline("akten");
  EXPECT_EQ(names_of(akten), (std::vector<std::string>{"deskew", "page", "background", "save"}));

  const Pipeline fotos = load_pipeline("fotos");
  const auto f = names_of(fotos);
  EXPECT_EQ(f.front(), "page");
  EXPECT_TRUE(std::get<PageParams>(fotos.stages.front().params).print_only);
  for (const char* tonal : {"deskew", "background", "binarise", "despeckle"})
    EXPECT_EQ(std::count(f.begin(), f.end(), tonal), 0) << "photographs keep their tones";

  const auto k = names_of(load_pipeline("karten"));
  EXPECT_EQ(std::count(k.begin(), k.end(), "deskew"), 0) << "maps are not deskewed";

  const Pipeline zeitungen = load_pipeline("zeitungen");
  const auto z = names_of(zeitungen);
  EXPECT_EQ(z.front(), "split");
  EXPECT_EQ(std::count(z.begin(), z.end(), "deskew"), 1);
  EXPECT_EQ(std::count(z.begin(), z.end(), "binarise"), 1);
  bool ocr = false;
  for (const auto& s : zeitungen.stages)
    if (s.name == "save" && std::get<SaveParams>(s.params).role == "ocr") ocr = true;
  EXPECT_TRUE(ocr) << "newspapers get a bitonal derivative for OCR";
}

TEST(PipelineDefinition, LoaderAndSchemaAgreeFieldByField) {
  std::ifstream in(FINDBUCH_SOURCE_DIR "/schemas/pipeline.schema.json");
  ASSERT_TRUE(in) << "schemas/pipeline.schema.json missing";
  const auto schema = nlohmann::json::parse(in);
  std::set<std::string> schema_stages;
  for (const auto& [stage, def] : schema["definitions"].items()) {
    schema_stages.insert(stage);
    std::set<std::string> schema_fields;
    for (const auto& [field, _] : def["properties"].items())
      if (field != "stage") schema_fields.insert(field);
    const auto loader = stage_fields(stage);
    EXPECT_EQ(schema_fields, std::set<std::string>(loader.begin(), loader.end())) << stage;
  }
  EXPECT_EQ(schema_stages, std::set<std::string>(stage_names().begin(), stage_names().end()));
}

TEST(PipelineDefinition, MistakesNameFileStageFieldAndAllowedValues) {
  const std::string unknown_stage =
      error_of(R"({"name":"x","stages":[{"stage":"page"},{"stage":"deskw"}]})");
  EXPECT_NE(unknown_stage.find("mine.json: stage 2"), std::string::npos) << unknown_stage;
  EXPECT_NE(unknown_stage.find("\"deskw\""), std::string::npos) << unknown_stage;
  EXPECT_NE(unknown_stage.find("allowed: deskew, page, split"), std::string::npos) << unknown_stage;

  const std::string range = error_of(
      R"({"name":"x","stages":[{"stage":"page","margin_px":-5},{"stage":"save","format":"png"}]})");
  EXPECT_NE(range.find("stage 1 (page): field \"margin_px\" must be a whole number from 0 to 1000, "
                       "not -5"),
            std::string::npos)
      << range;

  const std::string field = error_of(R"({"name":"x","stages":[{"stage":"deskew","angle":3}]})");
  EXPECT_NE(field.find("unknown field \"angle\"; allowed: max_angle_deg, min_angle_deg, "
                       "min_confidence"),
            std::string::npos)
      << field;

  const std::string degrees =
      error_of(R"({"name":"x","stages":[{"stage":"rotate","degrees":45}]})");
  EXPECT_NE(degrees.find("one of 0, 90, 180, 270"), std::string::npos) << degrees;

  const std::string format = error_of(R"({"name":"x","stages":[{"stage":"save","format":"gif"}]})");
  EXPECT_NE(format.find("\"format\" must be one of tiff, jpeg, png, not \"gif\""),
            std::string::npos)
      << format;

  EXPECT_NE(error_of(R"({"name":"x","stages":[{"stage":"page"}]})").find("no save stage"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name":"x","stages":[{"stage":"save","format":"png"},)"
                     R"({"stage":"save","format":"jpeg"}]})")
                .find("role \"access\" is saved twice"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name":"x","stages":[{"stage":"save","format":"png","quality":80}]})")
                .find("\"quality\" applies to format jpeg only"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name":"x","stages":[{"stage":"split"},{"stage":"split"},)"
                     R"({"stage":"save","format":"png"}]})")
                .find("at most once"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name":"x","stagse":[]})").find("unknown field \"stagse\""),
            std::string::npos);
  EXPECT_NE(error_of("{\"name\": ").find("mine.json: not valid JSON"), std::string::npos);
  EXPECT_NE(error_of(R"({"name":"X Y","stages":[{"stage":"save","format":"png"}]})")
                .find("field \"name\""),
            std::string::npos);
}

TEST(PipelineDefinition, DefaultsCountAsWrittenOutAndChangesChangeTheHash) {
  const Pipeline short_form = parse_pipeline(
      R"({"name":"x","stages":[{"stage":"page"},{"stage":"save","format":"png"}]})", "a");
  const Pipeline long_form = parse_pipeline(
      R"({"name":"x","description":"same","stages":[{"stage":"page","margin_px":0,"print_only":false},)"
      R"({"stage":"save","format":"png","role":"access"}]})",
      "b");
  EXPECT_EQ(short_form.sha256, long_form.sha256);
  const Pipeline changed = parse_pipeline(
      R"({"name":"x","stages":[{"stage":"page","margin_px":1},{"stage":"save","format":"png"}]})",
      "c");
  EXPECT_NE(short_form.sha256, changed.sha256);
}

TEST(PipelineDefinition, UnknownNameListsShippedPipelinesAndFilesAreRead) {
  try {
    load_pipeline("aktn");
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("akten, fotos, karten, zeitungen"), std::string::npos)
        << e.what();
  }
  const Pipeline from_file = load_pipeline(FINDBUCH_SOURCE_DIR "/pipelines/karten.json");
  EXPECT_EQ(from_file.sha256, load_pipeline("karten").sha256)
      << "the built-in copy is the file in pipelines/";
  EXPECT_THROW(load_pipeline("/nonexistent/pipeline.json"), Error);
}

}  // namespace
}  // namespace findbuch
