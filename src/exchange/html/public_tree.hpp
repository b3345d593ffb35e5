#pragma once
// The catalogue as the public may see it, decided unit by unit by the one access policy
// (Workspace::access): a public unit with its description, a closed one as a stub that carries
// nothing but Signatur, level and Laufzeit (the rest is never copied, so no page can show it),
// a hidden one not at all. The HTML pages are written from this tree only.
#include <cstdint>
#include <optional>
#include <vector>

#include "catalogue/unit.hpp"
#include "core/date.hpp"
#include "store/workspace.hpp"

namespace findbuch::html {

struct PublicNode {
  Unit unit;  ///< every field when public; a stub keeps only id, Signatur, level and Laufzeit
  bool stub = false;
  std::optional<Date> opens_on;  ///< a stub's first open day; nullopt: not computable
  std::vector<PublicNode> children;
};

/// How far down to read.
enum class Depth {
  Holdings,  ///< Tektonik groups and Bestände, without what the Bestände hold
  Everything
};

/// The public nodes below `parent_id` (0: the roots) in arrangement order, on `today`. A hidden
/// unit is left out; its children are still decided one by one, as the policy says, and what of
/// them is visible takes its place (below the Zwischenarchiv nothing is).
std::vector<PublicNode> public_tree(Workspace& workspace, std::int64_t parent_id, Date today,
                                    Depth depth);

/// The public node of one unit (nullopt when hidden), without children.
std::optional<PublicNode> public_node(Workspace& workspace, const Unit& unit, Date today);

}  // namespace findbuch::html
