#pragma once

namespace findbuch::cli {

/// Large imports (and later image tiling) spend a fifth of their time in page faults and TLB
/// misses on 4 KiB pages. glibc backs malloc with transparent huge pages only when the tunable
/// glibc.malloc.hugetlb=1 is set at process start, so the process re-executes itself once with
/// it set. Skipped when GLIBC_TUNABLES already mentions it or FINDBUCH_NO_HUGEPAGES is set;
/// if the re-exec fails, the process simply goes on as it is.
void restart_with_huge_page_malloc(char** argv);

/// Page images are 26 MB (A4 colour) to 100+ MB (spreads, 16 bit). glibc maps every block over
/// 32 MB afresh and unmaps it on free, so each stage's result paid ~3 ms per MB in page faults
/// (more than the stage's work). Keeping such blocks in the heap lets the next page reuse them.
void reuse_large_allocations();

}  // namespace findbuch::cli
