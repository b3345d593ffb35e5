#include "cli/huge_pages.hpp"

#include <malloc.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace findbuch::cli {

void restart_with_huge_page_malloc(char** argv) {
  if (std::getenv("FINDBUCH_NO_HUGEPAGES")) return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  std::string value = tunables ? tunables : "";
  if (value.find("glibc.malloc.hugetlb") != std::string::npos) return;
  value = value.empty() ? "glibc.malloc.hugetlb=1" : value + ":glibc.malloc.hugetlb=1";
  if (::setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  // Still here: exec failed (no /proc, say). Run on normal pages.
  if (tunables)
    ::setenv("GLIBC_TUNABLES", tunables, 1);
  else
    ::unsetenv("GLIBC_TUNABLES");
}

void reuse_large_allocations() {
  ::mallopt(M_MMAP_THRESHOLD, 512 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

}  // namespace findbuch::cli
