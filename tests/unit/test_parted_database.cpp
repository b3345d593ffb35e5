// A database written in parts and merged (PartedDatabase): every document under its own id,
// flushed and rolled over as configured, the parts gone afterwards, the merged database
// writable; a build given up leaves no part behind. And the batch queue between the catalogue
// scan and the writers: order kept, a writer that gives up stops the scan.
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <thread>

#include "search/batch_queue.hpp"
#include "search/parted_database.hpp"
#include "support/temp_dir.hpp"

namespace findbuch::testing {
namespace {

namespace fs = std::filesystem;
using search::BatchQueue;
using search::PartedDatabase;

class PartedDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = make_temp_dir("findbuch-parts"); }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> files() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) out.push_back(e.path().filename());
    std::sort(out.begin(), out.end());
    return out;
  }

  static Xapian::Document doc(Xapian::docid id) {
    Xapian::Document d;
    d.add_term("word" + std::to_string(id % 3));
    d.add_posting("pos", 1);
    d.set_data("unit " + std::to_string(id));
    d.add_value(0, std::to_string(id));
    return d;
  }

  fs::path dir_;
};

TEST_F(PartedDatabaseTest, PartsMergeIntoOneDatabaseKeepingTheDocumentIds) {
  const fs::path target = dir_ / "shard-0";
  PartedDatabase parted(target, 4, 3);
  // Sparse ids, as a shard has them (every second unit).
  for (Xapian::docid id = 2; id <= 40; id += 2) {
    Xapian::WritableDatabase& db = parted.database();
    EXPECT_LE(db.get_doccount(), 4u) << "a part holds at most four documents";
    db.replace_document(id, doc(id));
  }
  EXPECT_EQ(files().size(), 5u) << "20 documents in parts of four";
  Xapian::WritableDatabase merged = parted.finish();
  EXPECT_EQ(files(), std::vector<std::string>{"shard-0"}) << "the parts are gone";
  EXPECT_EQ(merged.get_doccount(), 20u);
  EXPECT_EQ(merged.get_lastdocid(), 40u);
  for (Xapian::docid id = 2; id <= 40; id += 2) {
    const Xapian::Document d = merged.get_document(id);
    EXPECT_EQ(d.get_data(), "unit " + std::to_string(id));
    EXPECT_EQ(d.get_value(0), std::to_string(id));
  }
  EXPECT_EQ(merged.get_termfreq("word0"), 6u);  // ids 6, 12, 18, 24, 30, 36
  EXPECT_NE(merged.positionlist_begin(38, "pos"), merged.positionlist_end(38, "pos"));
  // Writable: an update in place after the build.
  merged.delete_document(4);
  merged.commit();
  EXPECT_EQ(Xapian::Database(target.string()).get_doccount(), 19u);
}

TEST_F(PartedDatabaseTest, NothingAddedGivesAnEmptyDatabase) {
  PartedDatabase parted(dir_ / "closed", 4, 3);
  Xapian::WritableDatabase merged = parted.finish();
  EXPECT_EQ(merged.get_doccount(), 0u);
  EXPECT_EQ(files(), std::vector<std::string>{"closed"});
}

TEST_F(PartedDatabaseTest, ABuildGivenUpLeavesNoPartBehind) {
  {
    PartedDatabase parted(dir_ / "shard-1", 2, 1);
    for (Xapian::docid id = 1; id <= 5; ++id) parted.database().replace_document(id, doc(id));
    EXPECT_EQ(files().size(), 3u);
  }
  EXPECT_TRUE(files().empty());
}

TEST(BatchQueueTest, BatchesArriveInOrderAndTheEndIsSeen) {
  BatchQueue queue(2);
  std::vector<std::string> seen;
  std::thread writer([&] {
    while (const auto batch = queue.pop()) {
      for (const Unit& u : *batch) seen.push_back(u.signatur);
    }
  });
  for (int b = 0; b < 5; ++b) {  // more batches than the queue holds: the scan waits
    auto batch = std::make_shared<std::vector<Unit>>(2);
    (*batch)[0].signatur = std::to_string(b) + "a";
    (*batch)[1].signatur = std::to_string(b) + "b";
    EXPECT_TRUE(queue.push(batch));
  }
  queue.close();
  writer.join();
  EXPECT_EQ(seen,
            (std::vector<std::string>{"0a", "0b", "1a", "1b", "2a", "2b", "3a", "3b", "4a", "4b"}));
}

TEST(BatchQueueTest, AWriterThatGivesUpStopsTheScan) {
  BatchQueue queue(1);
  std::thread writer([&] {
    queue.pop();
    queue.abort();  // as a writer does when adding a document fails
  });
  const auto batch = std::make_shared<const std::vector<Unit>>(1);
  bool refused = false;
  for (int b = 0; b < 10 && !refused; ++b) refused = !queue.push(batch);
  writer.join();
  EXPECT_TRUE(refused) << "the scan is told to stop instead of waiting for ever";
  EXPECT_EQ(queue.pop(), nullptr);
}

}  // namespace
}  // namespace findbuch::testing
