#include "pipeline/ingest.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/natural_sort.hpp"
#include "core/sha256.hpp"
#include "imaging/technical_metadata.hpp"
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

IngestReport ingest(Workspace& workspace, const Unit& unit, const std::vector<fs::path>& files,
                    const std::function<void(std::size_t, std::size_t)>& progress) {
  if (unit.level != Level::File && unit.level != Level::Item)
    throw InputError("pages belong to an Akte or Einzelstück; " + in_quotes(unit.signatur) +
                     " is a " + std::string(level_info(unit.level).german));
  IngestReport report;
  Database& db = workspace.catalogue().db();
  Masters masters(db, workspace.dir());
  std::size_t done = 0;
  for (const auto& file : files) {
    try {
      const TechnicalMetadata tech = read_technical_metadata(file);
      const std::string sha = sha256_of_file(file);
      Transaction tx(db);
      const bool known = masters.find(sha).has_value();
      const MasterFile master = masters.store(file, sha, tech);
      if (masters.attach(unit.id, master)) {
        ++report.attached;
        if (known) ++report.deduplicated;
      } else {
        ++report.already_attached;
      }
      tx.commit();
    } catch (const InputError& e) {
      report.failures.push_back({file, e.what()});
    }
    if (progress) progress(++done, files.size());
  }
  return report;
}

}  // namespace findbuch
