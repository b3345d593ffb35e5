#pragma once

namespace findbuch::cli {

/// Large imports (and later image tiling) spend a fifth of their time in page faults and TLB
/// misses on 4 KiB pages. glibc backs malloc with transparent huge pages only when the tunable
/// glibc.malloc.hugetlb=1 is set at process start, so the process re-executes itself once with
/// it set. Skipped when GLIBC_TUNABLES already mentions it or FINDBUCH_NO_HUGEPAGES is set;
/// if the re-exec fails, the process simply goes on as it is.
void restart_with_huge_page_malloc(char** argv);

}  // namespace findbuch::cli
