// The command line's contract: exit codes (0 ok, 1 failure, 2 usage), help, suggestions for
// typos, and the archive found through --archive or $FINDBUCH_ARCHIVE.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/run.hpp"

namespace findbuch::cli {
namespace {

namespace fs = std::filesystem;

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result findbuch(std::vector<std::string> args) {
  std::ostringstream out, err;
  const int code = run(args, out, err);
  return {code, out.str(), err.str()};
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("findbuch-cli-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    archive_ = (dir_ / "archive").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  Result in_archive(std::vector<std::string> args) {
    args.push_back("--archive");
    args.push_back(archive_);
    return findbuch(std::move(args));
  }
  void init() {
    ASSERT_EQ(in_archive({"init", "--isil", "DE-MS123", "--name", "Stadtarchiv Musterstadt"}).code,
              0);
  }
  void write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
  }
  std::string path(const std::string& name) { return (dir_ / name).string(); }

  fs::path dir_;
  std::string archive_;
};

TEST_F(CliTest, UnknownCommandSuggestsNearestAndExitsTwo) {
  const Result r = findbuch({"imprt"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("did you mean 'import'?"), std::string::npos) << r.err;
}

TEST_F(CliTest, HelpListsEveryCommand) {
  const Result r = findbuch({"help"});
  EXPECT_EQ(r.code, 0);
  for (const char* c : {"init", "import", "show", "tree", "set", "move", "log", "access"})
    EXPECT_NE(r.out.find(std::string("  ") + c), std::string::npos) << c;
}

TEST_F(CliTest, CommandHelpShowsOptions) {
  const Result r = findbuch({"import", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--dry-run"), std::string::npos);
  EXPECT_NE(r.out.find("--archive"), std::string::npos);
}

TEST_F(CliTest, MissingArgumentIsUsageError) {
  EXPECT_EQ(findbuch({"show"}).code, 2);
  EXPECT_EQ(findbuch({"init", "--isil", "DE-MS123"}).code, 2);
  EXPECT_EQ(findbuch({"tree", "--depth", "abc"}).code, 2);
  EXPECT_EQ(findbuch({"show", "X", "--today", "26.11.2026"}).code, 2);
}

TEST_F(CliTest, MissingWorkspaceIsFailureNamingTheFolder) {
  const Result r = in_archive({"tree"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find(archive_), std::string::npos) << r.err;
}

TEST_F(CliTest, InitRefusesBadIsilAndSecondInit) {
  EXPECT_EQ(in_archive({"init", "--isil", "not an isil", "--name", "X"}).code, 2);  // usage
  init();
  const Result again = in_archive({"init", "--isil", "DE-MS123", "--name", "X"});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("already holds"), std::string::npos) << again.err;
}

TEST_F(CliTest, ArchiveFromEnvironment) {
  init();
  ::setenv("FINDBUCH_ARCHIVE", archive_.c_str(), 1);
  const Result r = findbuch({"tree"});
  ::unsetenv("FINDBUCH_ARCHIVE");
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(CliTest, SetShowLogAndAccessRoundTrip) {
  init();
  write("units.csv",
        "signatur,parent,level,title,laufzeit\n"
        "C,,Tektonikgruppe,Akten der Stadtverwaltung,\n"
        "C 5.63,C,Bestand,Bauordnungsamt,1975-2015\n"
        "C 5.63 Nr. 1,C 5.63,Akte,Bauakte Hauptstraße 12,1990-2001\n");
  ASSERT_EQ(in_archive({"import", "csv", path("units.csv")}).code, 0);

  Result set = in_archive({"set", "C 5.63 Nr. 1", "titel", "Bauakte Hauptstraße 14"});
  ASSERT_EQ(set.code, 0) << set.err;
  const Result show = in_archive({"show", "C 5.63 Nr. 1", "--json"});
  EXPECT_NE(show.out.find("\"title\": \"Bauakte Hauptstraße 14\""), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("\"signatur\": \"C 5.63\""), std::string::npos) << "path missing";

  const Result log = in_archive({"log", "C 5.63 Nr. 1"});
  EXPECT_NE(log.out.find("set title: \"Bauakte Hauptstraße 12\" → \"Bauakte Hauptstraße 14\""),
            std::string::npos)
      << log.out;

  // 2001 + 30 years: closed until the end of 2031, open from 2032-01-01.
  const Result closed = in_archive({"access", "C 5.63 Nr. 1", "--json", "--today", "2026-11-26"});
  EXPECT_NE(closed.out.find("\"status\": \"closed\""), std::string::npos) << closed.out;
  EXPECT_NE(closed.out.find("\"opens_on\": \"2032-01-01\""), std::string::npos) << closed.out;
  const Result open = in_archive({"access", "C 5.63 Nr. 1", "--json", "--today", "2032-01-01"});
  EXPECT_NE(open.out.find("\"status\": \"open\""), std::string::npos) << open.out;

  const Result typo = in_archive({"set", "C 5.63 Nr. 1", "titl", "x"});
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.err.find("did you mean 'title'?"), std::string::npos) << typo.err;
  const Result unknown = in_archive({"show", "C 5.63 Nr. 2"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("did you mean \"C 5.63 Nr. 1\"?"), std::string::npos) << unknown.err;
}

TEST_F(CliTest, MoveKeepsSignaturAndRefusesCycles) {
  init();
  write("units.csv",
        "signatur,parent,level,title\n"
        "C,,Tektonikgruppe,Akten\n"
        "D,,Tektonikgruppe,Nachlässe\n"
        "C 5.63,C,Bestand,Bauordnungsamt\n"
        "C 5.63 Nr. 1,C 5.63,Akte,Bauakte\n");
  ASSERT_EQ(in_archive({"import", "csv", path("units.csv")}).code, 0);
  ASSERT_EQ(in_archive({"move", "C 5.63", "--to", "D"}).code, 0);
  const Result tree = in_archive({"tree", "D", "--json"});
  EXPECT_NE(tree.out.find("\"signatur\": \"C 5.63 Nr. 1\""), std::string::npos) << tree.out;
  const Result cycle = in_archive({"move", "C", "--to", "C"});
  EXPECT_EQ(cycle.code, 1);
  const Result wrong_level = in_archive({"move", "C 5.63 Nr. 1", "--to", "/"});
  EXPECT_EQ(wrong_level.code, 1);
  EXPECT_NE(wrong_level.err.find("top of the Tektonik"), std::string::npos) << wrong_level.err;
}

}  // namespace
}  // namespace findbuch::cli
