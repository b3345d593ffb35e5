#include "search/german_text.hpp"

namespace findbuch::search {

std::string fold_german(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size()) {
      const char* spelt = nullptr;
      switch (static_cast<unsigned char>(text[i + 1])) {
        case 0x84:  // Ä
          spelt = "Ae";
          break;
        case 0xA4:  // ä
          spelt = "ae";
          break;
        case 0x96:  // Ö
          spelt = "Oe";
          break;
        case 0xB6:  // ö
          spelt = "oe";
          break;
        case 0x9C:  // Ü
          spelt = "Ue";
          break;
        case 0xBC:  // ü
          spelt = "ue";
          break;
        case 0x9F:  // ß
          spelt = "ss";
          break;
        default:
          break;
      }
      if (spelt != nullptr) {
        out += spelt;
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  return out;
}

}  // namespace findbuch::search
