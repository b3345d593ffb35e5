#include "store/derivatives.hpp"

#include <algorithm>

namespace findbuch {

std::string Derivatives::path_for(const std::string& master_sha256, const std::string& pipeline,
                                  int part, int parts, const std::string& role,
                                  const std::string& extension) {
  std::string name = master_sha256 + "." + pipeline;
  if (parts > 1) name += ".p" + std::to_string(part);
  name += "." + role + extension;
  // Tile pyramids are served as they are: they live apart, in iiif/.
  const char* folder = role == kTilesRole ? "iiif" : "derivatives";
  return (std::filesystem::path(folder) / master_sha256.substr(0, 2) / name).string();
}

bool Derivatives::done(std::int64_t master_id, const std::string& pipeline,
                       const std::string& sha256) {
  Statement st(db_,
               "SELECT count(*), sum(pipeline_sha256 = ?3) FROM derivatives "
               "WHERE master_id = ?1 AND pipeline = ?2");
  st.bind(1, master_id).bind(2, pipeline).bind(3, sha256);
  st.step();
  return st.integer(0) > 0 && st.integer(0) == st.integer(1);
}

std::vector<std::string> Derivatives::replace(std::int64_t master_id,
                                              const std::vector<Derivative>& made) {
  if (made.empty()) return {};
  std::vector<std::string> old_paths;
  {
    Statement old(db_, "SELECT path FROM derivatives WHERE master_id = ? AND pipeline = ?");
    old.bind(1, master_id).bind(2, made.front().pipeline);
    while (old.step()) old_paths.push_back(old.text(0));
  }
  Statement del(db_, "DELETE FROM derivatives WHERE master_id = ? AND pipeline = ?");
  del.bind(1, master_id).bind(2, made.front().pipeline).run();
  Statement ins(db_,
                "INSERT INTO derivatives (master_id, pipeline, pipeline_sha256, part, role, path, "
                "format, width, height, file_size, created_at, history) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  for (const auto& d : made) {
    ins.bind(1, master_id).bind(2, d.pipeline).bind(3, d.pipeline_sha256).bind(4, d.part);
    ins.bind(5, d.role).bind(6, d.path).bind(7, d.format).bind(8, d.width).bind(9, d.height);
    ins.bind(10, static_cast<std::int64_t>(d.file_size)).bind(11, d.created_at).bind(12, d.history);
    ins.run();
  }
  std::vector<std::string> unused;
  for (const auto& p : old_paths)
    if (std::none_of(made.begin(), made.end(), [&](const Derivative& d) { return d.path == p; }))
      unused.push_back(p);
  return unused;
}

std::vector<Derivative> Derivatives::of_master(std::int64_t master_id) {
  Statement st(db_,
               "SELECT pipeline, pipeline_sha256, part, role, path, format, width, height, "
               "file_size, created_at, history FROM derivatives WHERE master_id = ? "
               "ORDER BY pipeline, part, role");
  st.bind(1, master_id);
  std::vector<Derivative> out;
  while (st.step()) {
    Derivative d;
    d.master_id = master_id;
    d.pipeline = st.text(0);
    d.pipeline_sha256 = st.text(1);
    d.part = static_cast<int>(st.integer(2));
    d.role = st.text(3);
    d.path = st.text(4);
    d.format = st.text(5);
    d.width = static_cast<int>(st.integer(6));
    d.height = static_cast<int>(st.integer(7));
    d.file_size = static_cast<std::uint64_t>(st.integer(8));
    d.created_at = st.text(9);
    d.history = st.text(10);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace findbuch
