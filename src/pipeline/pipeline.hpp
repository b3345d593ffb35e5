#pragma once
// Pipelines are data (pipelines/*.json, described by schemas/pipeline.schema.json): an ordered
// list of cleaning stages with typed parameters, and `save` stages that say which derivative to
// write (role, format, quality). A pipeline is checked completely when it is loaded; a mistake
// names the file, the stage and the field with the allowed values.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "imaging/image_io.hpp"
#include "imaging/stages.hpp"

namespace findbuch {

/// Writes the current image(s) as a derivative of the given role.
struct SaveParams {
  std::string role = "access";  ///< e.g. access, ocr; lower-case letters, digits, '-'
  WriteOptions write;
};

using StageParams = std::variant<DeskewParams, PageParams, SplitParams, DespeckleParams,
                                 BackgroundParams, BinariseParams, RotateParams, SaveParams>;

struct Stage {
  std::string name;  ///< "deskew", "page", …, "save"
  StageParams params;
};

struct Pipeline {
  std::string name;
  std::string description;
  std::string source;  ///< where it was loaded from: a file path or "built-in"
  std::string sha256;  ///< hash of the stages with every parameter (defaults filled in)
  std::vector<Stage> stages;
};

/// The stage names a pipeline may use, in the order the schema documents them.
const std::vector<std::string>& stage_names();

/// Every parameter of the stage (defaults included) by name: what histories and reports record.
nlohmann::json stage_parameters(const Stage& stage);

/// The parameter names a stage accepts (empty for an unknown stage): the loader's half of the
/// schema, compared with schemas/pipeline.schema.json by a test.
std::vector<std::string> stage_fields(const std::string& stage);

/// Parses and checks a pipeline definition; `source` names it in error messages (InputError).
Pipeline parse_pipeline(const std::string& json_text, const std::string& source);

/// `name_or_file` is a shipped pipeline's name (akten, fotos, karten, zeitungen) or a path to a
/// JSON file (anything containing '/' or ending in .json). Unknown names list the shipped ones.
Pipeline load_pipeline(const std::string& name_or_file);

/// Names of the pipelines built into the binary (from pipelines/*.json at build time).
std::vector<std::string> shipped_pipeline_names();

}  // namespace findbuch
