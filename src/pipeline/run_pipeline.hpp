#pragma once
// Runs a pipeline's stages over one master image. After a `split` every later stage applies to
// each page in turn; `save` stages hand the current page(s) to the caller, who decides where
// the derivative goes (`findbuch clean`: next to OUT; ingest: into the workspace).
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "imaging/image.hpp"
#include "pipeline/pipeline.hpp"

namespace findbuch {

/// Called for every page at every save stage; `part` is 1-based (2 after a split of a spread,
/// for the right-hand page), `parts` how many pages there are. Returns the file name to record
/// in the report.
using SaveFn =
    std::function<std::string(const Image& image, int part, int parts, const SaveParams& save)>;

/// Runs every stage; returns the report {"pipeline": {...}, "stages": [{"name": ..., "params":
/// {...}, <measurements>}, ...]}, with "part" in each entry once a spread was split. Stage
/// errors (InputError) propagate.
nlohmann::json run_pipeline(Image input, const Pipeline& pipeline, const SaveFn& save);

}  // namespace findbuch
