#pragma once
// A fresh archive workspace in a temporary folder with one Bestand ("C 5.63") and one Akte in it
// ("C 5.63 Nr. 1"), and a scans/ folder beside it: the setting of the ingest tests.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/laufzeit.hpp"
#include "store/workspace.hpp"
#include "support/temp_dir.hpp"

namespace findbuch::testing {

namespace fs = std::filesystem;

class ArchiveWithFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("findbuch-ingest");
    ArchiveConfig config;
    config.isil = "DE-MS123";
    config.name = "Stadtarchiv Musterstadt";
    config.public_base_url = "https://archiv.example";
    ws_ = Workspace::create(dir_ / "archive", config);
    Catalogue& cat = ws_->catalogue();
    Unit bestand;
    bestand.signatur = "C 5.63";
    bestand.level = Level::Bestand;
    bestand.title = "Bauordnungsamt";
    bestand.position = -1;
    cat.insert(bestand, "test");
    bestand_ = bestand;
    Unit file;
    file.signatur = "C 5.63 Nr. 1";
    file.level = Level::File;
    file.title = "Bauakte";
    file.parent_id = bestand.id;
    file.position = -1;
    cat.insert(file, "test");
    unit_ = file;
    fs::create_directories(dir_ / "scans");
  }
  void TearDown() override {
    ws_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path scan(const std::string& name) { return dir_ / "scans" / name; }

  /// Adds a unit under `parent` (0: a root), appended, as a test archive needs it.
  Unit add(const std::string& sig, Level level, const std::string& title,
           const std::string& laufzeit, std::int64_t parent, const std::string& enthaelt = "") {
    Unit u;
    u.signatur = sig;
    u.level = level;
    u.title = title;
    u.laufzeit = parse_laufzeit(laufzeit);
    u.enthaelt = enthaelt;
    u.parent_id = parent;
    u.position = -1;
    ws_->catalogue().insert(u, "test");
    return u;
  }

  fs::path dir_;
  std::unique_ptr<Workspace> ws_;
  Unit bestand_, unit_;
};

}  // namespace findbuch::testing
