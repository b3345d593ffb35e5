#pragma once
// The one stylesheet of the HTML export (findbuch.css): readable on screens of any width, and a
// print version for reading-room copies — no navigation, black on white, link targets printed.
#include <string_view>

namespace findbuch::html {

std::string_view stylesheet();

}  // namespace findbuch::html
