#include "exchange/html/public_tree.hpp"

namespace findbuch::html {
namespace {

// Only what a redacted stub may show (DOMAIN.md §3): built field by field rather than by
// clearing a copy, so a field added to Unit later stays out of stubs.
Unit stub_of(const Unit& unit) {
  Unit stub;
  stub.id = unit.id;
  stub.parent_id = unit.parent_id;
  stub.position = unit.position;
  stub.signatur = unit.signatur;
  stub.level = unit.level;
  stub.laufzeit = unit.laufzeit;
  return stub;
}

void add_children(Workspace& ws, std::int64_t parent_id, Date today, Depth depth,
                  std::vector<PublicNode>& into) {
  for (const UnitSummary& child : ws.catalogue().children(parent_id)) {
    const std::optional<Unit> unit = ws.catalogue().find_by_id(child.id);
    if (!unit) continue;
    const bool descend = depth == Depth::Everything || unit->level == Level::TektonikGroup;
    std::optional<PublicNode> node = public_node(ws, *unit, today);
    if (!node) {
      if (descend) add_children(ws, unit->id, today, depth, into);
      continue;
    }
    if (descend) add_children(ws, unit->id, today, depth, node->children);
    into.push_back(std::move(*node));
  }
}

}  // namespace

std::optional<PublicNode> public_node(Workspace& ws, const Unit& unit, Date today) {
  const AccessDecision decision = ws.access(unit, today);
  switch (decision.visibility) {
    case Visibility::Public:
      return PublicNode{unit, false, std::nullopt, {}};
    case Visibility::RedactedStub:
      return PublicNode{stub_of(unit), true, decision.opens_on, {}};
    case Visibility::Hidden:
      break;
  }
  return std::nullopt;
}

std::vector<PublicNode> public_tree(Workspace& ws, std::int64_t parent_id, Date today,
                                    Depth depth) {
  std::vector<PublicNode> nodes;
  add_children(ws, parent_id, today, depth, nodes);
  return nodes;
}

}  // namespace findbuch::html
