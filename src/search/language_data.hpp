#pragma once
// The built-in language data (src/search/language/*.txt), compiled in by CMake so that search
// works wherever findbuch runs, without the source tree.
#include <string_view>

namespace findbuch::search {

/// src/search/language/spellings.txt
std::string_view builtin_spellings();
/// src/search/language/synonyms.txt
std::string_view builtin_synonyms();

}  // namespace findbuch::search
