#include <ostream>

#include "catalogue/fields.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace findbuch::cli {
namespace {

std::string field_list() {
  std::string out;
  for (const auto& k : field_keys()) out += (out.empty() ? "" : ", ") + k;
  return out;
}

class SetCommand final : public Command {
 public:
  std::string_view name() const override { return "set"; }
  std::string_view summary() const override { return "change one field of a unit"; }
  std::string_view arguments() const override { return "SIG FIELD VALUE"; }
  std::string_view details() const override {
    return "Fields: signatur, title, laufzeit, level, extent, creator, enthaelt, darin,\n"
           "archival_history, access_conditions, use_conditions, language, notes,\n"
           "former_reference, aktenzeichen, storage_location, persons, places,\n"
           "corporate_bodies, subjects (\"Name|GND; Name\"), digital_objects, personal_data,\n"
           "persons_concerned (\"Name|born|died; …\"), secrecy, embargo_until, shortening\n"
           "(\"YYYY-MM-DD reason\"), zwischenarchiv, ead_id. German names work too (titel,\n"
           "umfang, enthält, lagerort …). An empty VALUE clears the field.\n"
           "Example: findbuch set \"C 5.63 Nr. 1234\" laufzeit \"1975-1982\"";
  }
  void add_options(po::options_description& o, po::positional_options_description& p) override {
    o.add_options()("signatur", po::value<std::string>(), "Signatur of the unit")(
        "field", po::value<std::string>(), "field name")("value", po::value<std::string>(),
                                                         "new value");
    p.add("signatur", 1).add("field", 1).add("value", 1);
  }
  void setup(const po::variables_map& vm) override {
    signatur_ = required(vm, "signatur", "the Signatur (SIG) of the unit");
    const std::string field = required(vm, "field", "the FIELD to change");
    if (!vm.count("value")) throw UsageError("missing the VALUE (use \"\" to clear the field)");
    value_ = vm["value"].as<std::string>();
    field_ = find_field(field);
    if (!field_) {
      const std::string best = nearest_match(field, field_keys());
      throw UsageError("unknown field '" + field + "'" +
                       (best.empty() ? "" : "; did you mean '" + best + "'?") +
                       "\nFields: " + field_list());
    }
  }
  int run(Context& ctx) override {
    auto ws = ctx.open(Workspace::Mode::Write);
    Catalogue& cat = ws->catalogue();
    Transaction tx(cat.db());
    const Unit before = cat.require(signatur_);
    Unit after = before;
    field_->set(after, value_);
    const int changed = cat.update(before, after, ctx.command_line);
    tx.commit();
    if (!changed) {
      ctx.out << before.signatur << ": " << field_->key << " unchanged\n";
      return 0;
    }
    ctx.out << after.signatur << ": " << field_->key << ": \"" << field_->get(before) << "\" → \""
            << field_->get(after) << "\"\n";
    if (field_->key == "laufzeit" && !after.laufzeit.text.empty() && !after.laufzeit.from &&
        !after.laufzeit.to && !after.laufzeit.undated)
      ctx.err << "warning: \"" << after.laufzeit.text
              << "\" is not a date Findbuch can read; kept as text (protection periods cannot "
                 "be computed)\n";
    return 0;
  }

 private:
  std::string signatur_, value_;
  const FieldSpec* field_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> make_set_command() {
  return std::make_unique<SetCommand>();
}

}  // namespace findbuch::cli
