#include <ostream>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace findbuch::cli {
namespace {

class InitCommand final : public Command {
 public:
  std::string_view name() const override { return "init"; }
  std::string_view summary() const override {
    return "create an archive workspace (catalogue, folders, findbuch.json)";
  }
  std::string_view details() const override {
    return "Example: findbuch init --isil DE-MS123 --name \"Stadtarchiv Musterstadt\"";
  }
  void add_options(po::options_description& o, po::positional_options_description&) override {
    o.add_options()("isil", po::value<std::string>(), "ISIL of the archive (e.g. DE-MS123)")(
        "name", po::value<std::string>(), "name of the archive")(
        "address", po::value<std::vector<std::string>>(), "address line (repeatable)")(
        "email", po::value<std::string>(), "contact e-mail")(
        "public-base-url", po::value<std::string>(), "base URL of the public web pages")(
        "language", po::value<std::vector<std::string>>(),
        "language of the holdings, ISO 639-2b (repeatable; default ger)");
  }
  void setup(const po::variables_map& vm) override {
    config_.isil = required(vm, "isil", "--isil (the archive's ISIL, e.g. DE-MS123)");
    if (!valid_isil(config_.isil))
      throw UsageError("--isil: \"" + config_.isil +
                       "\" is not an ISIL (ISO 15511, e.g. DE-MS123: country code, hyphen, "
                       "identifier; at most 16 characters)");
    config_.name = required(vm, "name", "--name (the archive's name)");
    if (vm.count("address")) config_.address = vm["address"].as<std::vector<std::string>>();
    if (vm.count("email")) config_.email = vm["email"].as<std::string>();
    if (vm.count("public-base-url"))
      config_.public_base_url = vm["public-base-url"].as<std::string>();
    if (vm.count("language")) config_.languages = vm["language"].as<std::vector<std::string>>();
  }
  int run(Context& ctx) override {
    auto ws = Workspace::create(ctx.archive, config_);
    ctx.out << "Created archive workspace " << ctx.archive.string() << " for " << config_.name
            << " (" << config_.isil << ")\n";
    return 0;
  }

 private:
  ArchiveConfig config_;
};

}  // namespace

std::unique_ptr<Command> make_init_command() {
  return std::make_unique<InitCommand>();
}

}  // namespace findbuch::cli
