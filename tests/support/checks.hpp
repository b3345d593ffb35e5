#pragma once
// Small helpers several test files share.
#include <string>
#include <string_view>

namespace findbuch::testing {

// Sanitizer builds are ~10× slower: some tests check fewer cases there or skip measurements.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

inline bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

/// The message of the exception of type E that `fn` throws, or "(no exception)".
template <typename E, typename Fn>
std::string error_of(Fn fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  }
  return "(no exception)";
}

}  // namespace findbuch::testing
