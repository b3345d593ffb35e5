#pragma once
// JSON forms of units and access decisions for --json output (documented in the README).
#include <nlohmann/json.hpp>

#include "catalogue/access_policy.hpp"
#include "catalogue/unit.hpp"
#include "store/derivatives.hpp"
#include "store/masters.hpp"

namespace findbuch::cli {

nlohmann::json laufzeit_json(const Laufzeit& l);
/// Every field of the field table (non-empty ones), plus level and Laufzeit details.
nlohmann::json unit_json(const Unit& u);
nlohmann::json access_json(const Unit& u, const AccessDecision& d, Date today);
/// A page of a digitised unit: its master, the master's technical metadata, and the
/// derivatives made from it with their processing history.
nlohmann::json page_json(const Page& page, const std::vector<Derivative>& derivatives);
/// "gesperrt bis 2030-12-31" / "offen" etc. for people.
std::string access_summary(const AccessDecision& d);

}  // namespace findbuch::cli
