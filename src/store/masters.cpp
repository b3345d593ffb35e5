#include "store/masters.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "core/text.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;

// Every query names the table "m", so one column list serves the joins too.
constexpr const char* kMasterColumns =
    "m.id, m.sha256, m.path, m.original_name, m.ingested_at, m.format, m.compression, "
    "m.file_size, m.width, m.height, m.bits_per_sample, m.samples_per_pixel, m.colour_space, "
    "m.icc_profile, m.ppi, m.make, m.model, m.software, m.capture_date, m.pages";

MasterFile read_master(const Statement& st, int c = 0) {
  MasterFile m;
  m.id = st.integer(c++);
  m.sha256 = st.text(c++);
  m.path = st.text(c++);
  m.original_name = st.text(c++);
  m.ingested_at = st.text(c++);
  TechnicalMetadata& t = m.tech;
  t.format = st.text(c++);
  t.compression = st.text(c++);
  t.file_size = static_cast<std::uint64_t>(st.integer(c++));
  t.width = static_cast<std::uint32_t>(st.integer(c++));
  t.height = static_cast<std::uint32_t>(st.integer(c++));
  t.bits_per_sample = static_cast<int>(st.integer(c++));
  t.samples_per_pixel = static_cast<int>(st.integer(c++));
  t.colour_space = st.text(c++);
  t.icc_profile = st.text(c++);
  t.ppi = static_cast<double>(st.integer(c++)) / 1000.0;
  t.make = st.text(c++);
  t.model = st.text(c++);
  t.software = st.text(c++);
  t.capture_date = st.text(c++);
  t.pages = static_cast<int>(st.integer(c++));
  return m;
}

/// Copies `from` to `to` via a temporary file in the same folder, fsynced before the rename. The
/// bytes are hashed on their way (one pass); unless they hash to `sha256` — the scanner may still
/// be writing the file — nothing appears at `to` and InputError is thrown.
void copy_atomically(const fs::path& from, const fs::path& to, const std::string& sha256) {
  // Unique per process and call: parallel workers may place the same content at once.
  static std::atomic<unsigned> counter{0};
  const fs::path tmp =
      to.parent_path() / (std::string(".") + to.filename().string() + "." +
                          std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".part");
  std::ifstream in(from, std::ios::binary);
  if (!in) throw EnvironmentError(from.string() + ": cannot open");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0444);
  if (fd < 0) throw EnvironmentError(tmp.string() + ": cannot create: " + std::strerror(errno));
  Sha256 hash;
  std::vector<char> buffer(1 << 20);
  bool ok = true;
  while (ok && in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    std::size_t left = static_cast<std::size_t>(in.gcount());
    hash.update(buffer.data(), left);
    const char* p = buffer.data();
    while (ok && left > 0) {
      const ssize_t n = ::write(fd, p, left);
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      if (ok) p += n, left -= static_cast<std::size_t>(n);
    }
  }
  ok = ok && !in.bad() && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (ok && hash.hex() != sha256) {
    ::unlink(tmp.c_str());
    throw InputError(from.string() + ": the file changed while it was being ingested");
  }
  if (!ok || ::rename(tmp.c_str(), to.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw EnvironmentError(to.string() + ": cannot store the master: " + std::strerror(errno));
  }
}

}  // namespace

Masters::Masters(Database& db, fs::path workspace_dir) : db_(db), dir_(std::move(workspace_dir)) {}

std::optional<MasterFile> Masters::find(const std::string& sha256) {
  Statement st(db_, std::string("SELECT ") + kMasterColumns + " FROM masters m WHERE m.sha256=?");
  st.bind(1, sha256);
  if (!st.step()) return std::nullopt;
  return read_master(st);
}

std::string Masters::place(const fs::path& source, const std::string& sha256) const {
  std::string extension = ascii_lower(source.extension().string());
  const fs::path relative = fs::path("masters") / sha256.substr(0, 2) / (sha256 + extension);
  const fs::path target = dir_ / relative;
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) throw EnvironmentError(target.parent_path().string() + ": " + ec.message());
  // A file at the final name got there by rename after a complete, fsynced write, so it is this
  // master (whether it stays so is what fixity checks).
  if (!fs::exists(target)) copy_atomically(source, target, sha256);
  return relative.string();
}

MasterFile Masters::record(const fs::path& source, const std::string& relative,
                           const std::string& sha256, const TechnicalMetadata& tech) {
  if (auto existing = find(sha256)) return *existing;
  Statement st(db_,
               "INSERT INTO masters (sha256, path, original_name, ingested_at, format, "
               "compression, file_size, width, height, bits_per_sample, samples_per_pixel, "
               "colour_space, icc_profile, ppi, make, model, software, capture_date, pages) "
               "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  st.bind(1, sha256);
  st.bind(2, relative);
  st.bind(3, source.filename().string());
  st.bind(4, utc_timestamp());
  st.bind(5, tech.format);
  st.bind(6, tech.compression);
  st.bind(7, static_cast<std::int64_t>(tech.file_size));
  st.bind(8, static_cast<std::int64_t>(tech.width));
  st.bind(9, static_cast<std::int64_t>(tech.height));
  st.bind(10, tech.bits_per_sample);
  st.bind(11, tech.samples_per_pixel);
  st.bind(12, tech.colour_space);
  st.bind(13, tech.icc_profile);
  st.bind(14, static_cast<std::int64_t>(tech.ppi * 1000.0 + 0.5));  // milli-ppi: exact in SQL
  st.bind(15, tech.make);
  st.bind(16, tech.model);
  st.bind(17, tech.software);
  st.bind(18, tech.capture_date);
  st.bind(19, tech.pages);
  st.run();
  return *find(sha256);
}

MasterFile Masters::store(const fs::path& source, const std::string& sha256,
                          const TechnicalMetadata& tech) {
  if (auto existing = find(sha256)) return *existing;
  return record(source, place(source, sha256), sha256, tech);
}

bool Masters::attach(std::int64_t unit_id, const MasterFile& master) {
  Statement exists(db_, "SELECT 1 FROM pages WHERE unit_id=? AND master_id=?");
  exists.bind(1, unit_id).bind(2, master.id);
  if (exists.step()) return false;
  Statement st(db_,
               "INSERT INTO pages (unit_id, sequence, master_id) VALUES (?1, "
               "(SELECT coalesce(max(sequence), 0) + 1 FROM pages WHERE unit_id=?1), ?2)");
  st.bind(1, unit_id).bind(2, master.id).run();
  return true;
}

std::vector<Page> Masters::pages(std::int64_t unit_id) {
  Statement st(db_, std::string("SELECT p.sequence, ") + kMasterColumns +
                        " FROM pages p JOIN masters m ON m.id = p.master_id WHERE p.unit_id=? "
                        "ORDER BY p.sequence");
  st.bind(1, unit_id);
  std::vector<Page> out;
  while (st.step()) out.push_back({static_cast<int>(st.integer(0)), read_master(st, 1)});
  return out;
}

std::vector<FixityProblem> Masters::check_fixity(const std::vector<std::int64_t>* unit_ids,
                                                 std::size_t* checked) {
  std::vector<MasterFile> masters;
  if (unit_ids) {
    for (auto id : *unit_ids)
      for (auto& p : pages(id)) masters.push_back(std::move(p.master));
  } else {
    Statement st(db_, std::string("SELECT ") + kMasterColumns + " FROM masters m ORDER BY m.id");
    while (st.step()) masters.push_back(read_master(st));
  }
  if (checked) *checked = masters.size();
  std::vector<FixityProblem> problems;
  for (auto& m : masters) {
    const fs::path file = dir_ / m.path;
    if (!fs::exists(file)) {
      problems.push_back({std::move(m), "missing"});
      continue;
    }
    const std::string now = sha256_of_file(file);
    if (now != m.sha256) problems.push_back({std::move(m), "changed (sha256 now " + now + ")"});
  }
  return problems;
}

std::vector<std::int64_t> Masters::digitised_units() {
  Statement st(db_, "SELECT DISTINCT unit_id FROM pages");
  std::vector<std::int64_t> ids;
  while (st.step()) ids.push_back(st.integer(0));
  return ids;
}

}  // namespace findbuch
