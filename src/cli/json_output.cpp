#include "cli/json_output.hpp"

#include "catalogue/fields.hpp"

namespace findbuch::cli {

using nlohmann::json;

json laufzeit_json(const Laufzeit& l) {
  json j = {{"text", l.text}};
  j["from"] = l.from ? json(l.from->iso()) : json(nullptr);
  j["to"] = l.to ? json(l.to->iso()) : json(nullptr);
  j["normal"] = l.normal;
  j["approximate"] = l.approximate;
  j["undated"] = l.undated;
  return j;
}

json unit_json(const Unit& u) {
  json j = json::object();
  for (const auto& f : field_table()) {
    const std::string value = f.get(u);
    if (!value.empty()) j[std::string(f.key)] = value;
  }
  j["signatur"] = u.signatur;
  j["level"] = level_info(u.level).key;
  j["level_label"] = level_info(u.level).german;
  j["title"] = u.title;
  j["laufzeit"] = laufzeit_json(u.laufzeit);
  if (u.signatur_generated) j["signatur_generated"] = true;
  json terms = json::array();
  for (const auto& t : u.index_terms) {
    json term = {{"kind", index_kind_key(t.kind)}, {"name", t.name}};
    if (!t.gnd.empty()) term["gnd"] = t.gnd;
    terms.push_back(term);
  }
  if (!terms.empty()) j["index_terms"] = terms;
  json persons = json::array();
  for (const auto& p : u.persons_concerned)
    persons.push_back({{"name", p.name}, {"born", p.born}, {"died", p.died}});
  if (!persons.empty()) j["persons_concerned"] = persons;
  json daos = json::array();
  for (const auto& d : u.digital_objects)
    daos.push_back({{"role", d.role}, {"href", d.href}, {"title", d.title}});
  if (!daos.empty()) j["digital_objects"] = daos;
  return j;
}

std::string access_summary(const AccessDecision& d) {
  if (d.open) return "offen";
  if (!d.opens_on) return "gesperrt (ohne berechenbares Ende)";
  return "gesperrt, zugänglich ab " + d.opens_on->iso();
}

json access_json(const Unit& u, const AccessDecision& d, Date today) {
  json j = {{"signatur", u.signatur}, {"status", d.open ? "open" : "closed"},
            {"today", today.iso()},   {"rule", d.rule},
            {"reason", d.reason},     {"visibility", visibility_key(d.visibility)}};
  j["opens_on"] = d.opens_on ? json(d.opens_on->iso()) : json(nullptr);
  return j;
}

json page_json(const Page& page, const std::vector<Derivative>& derivatives) {
  const MasterFile& m = page.master;
  const TechnicalMetadata& t = m.tech;
  json made = json::array();
  for (const auto& d : derivatives)
    made.push_back({{"pipeline", d.pipeline},
                    {"pipeline_sha256", d.pipeline_sha256},
                    {"part", d.part},
                    {"role", d.role},
                    {"path", d.path},
                    {"format", d.format},
                    {"width", d.width},
                    {"height", d.height},
                    {"file_size", d.file_size},
                    {"created_at", d.created_at},
                    {"history", json::parse(d.history, nullptr, false)}});
  return {{"sequence", page.sequence},
          {"master", m.path},
          {"original_name", m.original_name},
          {"sha256", m.sha256},
          {"format", t.format},
          {"compression", t.compression},
          {"width", t.width},
          {"height", t.height},
          {"bits_per_sample", t.bits_per_sample},
          {"samples_per_pixel", t.samples_per_pixel},
          {"colour_space", t.colour_space},
          {"icc_profile", t.icc_profile},
          {"ppi", t.ppi},
          {"make", t.make},
          {"model", t.model},
          {"software", t.software},
          {"capture_date", t.capture_date},
          {"derivatives", made}};
}

}  // namespace findbuch::cli
