#include "callshare/scenario/scenario.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "events.h"
#include "key_table.h"
#include "toml_values.h"

namespace callshare {
namespace {

using scenario_internal::FindKeySpec;
using scenario_internal::Item;
using scenario_internal::KeySpec;
using scenario_internal::KeySpecs;
using scenario_internal::LoadContext;

std::string_view Trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Whether `text` is well-formed UTF-8: TOML allows nothing else, and a
// command-line argument may hold any bytes at all.
bool IsUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    int length = 1;
    char32_t code = lead;
    if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code = lead & 0x07u;
    } else if (lead >= 0xE0) {
      length = lead <= 0xEF ? 3 : 0;
      code = lead & 0x0Fu;
    } else if (lead >= 0xC2) {
      length = 2;
      code = lead & 0x1Fu;
    } else if (lead >= 0x80) {
      length = 0;
    }
    if (length == 0 || text.size() - i < static_cast<std::size_t>(length)) {
      return false;
    }
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0u) != 0x80u) return false;
      code = (code << 6) | (next & 0x3Fu);
    }
    const bool overlong =
        (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
    const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
    if (overlong || surrogate || code > 0x10FFFF) return false;
    i += static_cast<std::size_t>(length);
  }
  return true;
}

// Whether `key` names a value an override may set: a fixed key, or a
// sub-key of a fixed key whose value is a table.
bool IsKnownOverride(std::string_view key) {
  if (FindKeySpec(key) != nullptr) return true;
  const std::size_t dot = key.rfind('.');
  if (dot == std::string_view::npos) return false;
  const KeySpec* spec = FindKeySpec(key.substr(0, dot));
  return spec != nullptr &&
         std::ranges::find(spec->subkeys, key.substr(dot + 1)) !=
             spec->subkeys.end();
}

// The override's value as TOML; text that is not TOML is a bare string,
// so that `--set run.router_mode=enforced` needs no quotes.
toml::table ParseOverrideValue(std::string_view value) {
  try {
    return toml::parse("v = " + std::string(value));
  } catch (const toml::parse_error&) {
    toml::table table;
    table.insert("v", std::string(value));
    return table;
  }
}

// Sets `key` in `root` to `value`, creating the tables on the way. A new
// tenant source replaces the one the file gave.
void InsertAt(toml::table& root, std::string_view key,
              const toml::node& value) {
  if (key == "tenant.directory" || key.starts_with("tenant.generate.")) {
    if (toml::table* tenant = root["tenant"].as_table()) {
      tenant->erase(key == "tenant.directory" ? "generate" : "directory");
    }
  }
  toml::table* table = &root;
  for (std::size_t dot; (dot = key.find('.')) != std::string_view::npos;) {
    const std::string_view name = key.substr(0, dot);
    if (!(*table)[name].is_table()) {
      table->insert_or_assign(name, toml::table{});
    }
    table = (*table)[name].as_table();
    key.remove_prefix(dot + 1);
  }
  table->insert_or_assign(key, value);
}

void ApplyOverride(const std::string& text, toml::table& root,
                   LoadContext& context) {
  if (!IsUtf8(text)) {
    context.ErrorInFile("--set", 0, "", "override is not valid UTF-8");
    return;
  }
  const std::size_t equals = text.find('=');
  const std::string key(Trim(std::string_view(text).substr(0, equals)));
  if (equals == std::string::npos || key.empty()) {
    context.ErrorInFile("--set", 0, text, "expected key.path=value");
    return;
  }
  if (!IsKnownOverride(key)) {
    context.ErrorInFile("--set", 0, key,
                        "unknown key in override '" + text + "'");
    return;
  }
  const toml::table parsed =
      ParseOverrideValue(Trim(std::string_view(text).substr(equals + 1)));
  InsertAt(root, key, *parsed.get("v"));
  context.MarkOverridden(key);
}

// Reads every key of `table`, recursing into sections; a key no spec
// knows is an error.
void ReadTable(const toml::table& table, const std::string& prefix,
               LoadContext& context, SimConfig& config) {
  for (const auto& [name, node] : table) {
    const std::string key = prefix.empty()
                                ? std::string(name.str())
                                : prefix + "." + std::string(name.str());
    const Item item{node, key,
                    static_cast<std::uint32_t>(name.source().begin.line)};
    if (key == "events") {
      scenario_internal::ReadEvents(item, context, &config.events);
    } else if (const KeySpec* spec = FindKeySpec(key)) {
      context.RecordLine(key, item.line);
      spec->read(item, context, config);
    } else if (node.is_table() && scenario_internal::IsSection(key)) {
      ReadTable(*node.as_table(), key, context, config);
    } else {
      context.Error(item, "unknown key");
    }
  }
}

void CheckTenant(const toml::table& root, LoadContext& context,
                 const SimConfig& config) {
  if (root.at_path("tenant.directory") && root.at_path("tenant.generate")) {
    context.Error(std::string("tenant.directory"),
                  "give either tenant.directory or [tenant.generate], "
                  "not both");
    return;
  }
  if (!config.tenant.generated()) {
    const auto& path = std::get<std::filesystem::path>(config.tenant.source);
    // The error_code overload: a name the OS refuses outright (too long,
    // say) is bad input to report, not an exception to escape the loader.
    std::error_code unreadable;
    if (!std::filesystem::is_directory(path, unreadable)) {
      context.Error(std::string("tenant.directory"),
                    "no such directory '" + path.string() + "'");
    }
    return;
  }
  const GeneratorOptions& options =
      std::get<GeneratorOptions>(config.tenant.source);
  const auto at_most = [&context](const char* key, std::uint64_t value,
                                  std::string_view bound_name,
                                  std::uint64_t bound) {
    if (value <= bound) return;
    context.Error(std::string(key), fmt::format("must be <= {} ({}), got {}",
                                                bound_name, bound, value));
  };
  at_most("tenant.generate.min_group_size", options.min_group_size,
          "max_group_size", options.max_group_size);
  at_most("tenant.generate.max_group_size", options.max_group_size,
          "limits.members_per_group", config.tenant.limits.members_per_group);
  at_most("tenant.generate.groups", options.groups, "users", options.users);
  at_most("tenant.generate.groups", options.groups, "limits.groups_per_tenant",
          config.tenant.limits.groups_per_tenant);
}

// A row of shares must sum to 1; rounding in a hand-written file is
// forgiven up to a part in a million.
void CheckSumsToOne(const PresenceTable& shares, const std::string& key,
                    LoadContext& context) {
  double sum = 0.0;
  for (const double share : shares) sum += share;
  if (std::abs(sum - 1.0) > 1e-6) {
    context.Error(key, fmt::format("shares must sum to 1, got {}", sum));
  }
}

void CheckPresence(LoadContext& context, const SimConfig& config) {
  const PresenceConfig& presence = config.behaviour.presence;
  CheckSumsToOne(presence.share, "behaviour.presence.share", context);
  for (const auto& named : scenario_internal::PresenceNames()) {
    const auto row = static_cast<std::size_t>(named.value);
    const std::string key =
        "behaviour.presence.next." + std::string(named.name);
    CheckSumsToOne(presence.next[row], key, context);
    if (presence.next[row][row] != 0.0) {
      context.Error(key, fmt::format("{} must be 0: leaving a state never "
                                     "enters it again",
                                     named.name));
    }
  }
}

void CheckTimes(LoadContext& context, const SimConfig& config) {
  const double duration = config.run.duration_s;
  if (config.run.warmup_s >= duration) {
    context.Error(std::string("run.warmup_s"),
                  fmt::format("must be less than run.duration_s ({}), got {}",
                              duration, config.run.warmup_s));
  }
  if (!config.traffic.profile.empty() &&
      config.traffic.profile.back().start_s >= duration) {
    context.Error(std::string("traffic.profile"),
                  fmt::format("an interval starts at {} s, after the run "
                              "ends ({} s)",
                              config.traffic.profile.back().start_s, duration));
  }
  for (std::size_t i = 0; i < config.events.size(); ++i) {
    if (config.events[i].at_s >= duration) {
      context.Error(fmt::format("events[{}].at_s", i + 1),
                    fmt::format("must be less than run.duration_s ({}), "
                                "got {}",
                                duration, config.events[i].at_s));
    }
  }
}

// TOML text of the entries, one [section] each, events first because
// top-level keys must precede every section.
std::string EntriesToToml(const std::vector<ScenarioEntry>& entries) {
  std::string events;
  std::vector<std::pair<std::string, std::string>> sections;
  for (const ScenarioEntry& entry : entries) {
    if (entry.key.starts_with("events[")) {
      events += "  " + entry.value + ",\n";
      continue;
    }
    const std::size_t dot = entry.key.rfind('.');
    const std::string section = entry.key.substr(0, dot);
    auto found = std::ranges::find(sections, section,
                                   &std::pair<std::string, std::string>::first);
    if (found == sections.end()) {
      sections.emplace_back(section, "");
      found = sections.end() - 1;
    }
    found->second += entry.key.substr(dot + 1) + " = " + entry.value + "\n";
  }
  std::string text;
  if (!events.empty()) text += "events = [\n" + events + "]\n";
  for (const auto& [section, body] : sections) {
    text += fmt::format("\n[{}]\n{}", section, body);
  }
  return text;
}

}  // namespace

std::optional<SimConfig> ParseScenario(std::string_view text,
                                       const std::string& display_name,
                                       const std::filesystem::path& folder,
                                       std::span<const std::string> overrides,
                                       Diagnostics* errors) {
  LoadContext context(display_name, std::filesystem::absolute(folder), errors);

  // Syntax first: nothing else can be checked without a table.
  toml::table root;
  try {
    root = toml::parse(text, display_name);
  } catch (const toml::parse_error& error) {
    context.ErrorInFile(display_name,
                        static_cast<std::uint32_t>(error.source().begin.line),
                        "", std::string(error.description()));
    return std::nullopt;
  }

  // A file that sets no key (zero bytes, blanks or comments only) is the
  // wrong file or one not written yet, not a request for every default:
  // a plan run on it would answer a question nobody asked.
  if (root.empty()) {
    context.ErrorInFile(display_name, 0, "",
                        "the scenario is empty: it sets no key "
                        "(`callshare keys` lists them)");
    return std::nullopt;
  }

  // Overrides change the table, so that their values are checked exactly
  // as the file's are.
  for (const std::string& text_override : overrides) {
    ApplyOverride(text_override, root, context);
  }

  // Conversion, then the checks that span several keys.
  SimConfig config;
  config.run.name = std::filesystem::path(display_name).stem().string();
  ReadTable(root, "", context, config);
  CheckTenant(root, context, config);
  CheckPresence(context, config);
  CheckTimes(context, config);
  if (context.failed()) return std::nullopt;

  config.behaviour.router.mode = config.run.router_mode;
  std::ranges::stable_sort(config.events, {}, &AdminEvent::at_s);
  return config;
}

std::optional<SimConfig> LoadScenario(const std::filesystem::path& file,
                                      std::span<const std::string> overrides,
                                      Diagnostics* errors) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream) {
    errors->push_back({Diagnostic::Severity::kError, file.string(), 0, "",
                       "cannot open scenario"});
    return std::nullopt;
  }
  std::ostringstream text;
  text << stream.rdbuf();
  return ParseScenario(text.str(), file.string(),
                       std::filesystem::absolute(file).parent_path(), overrides,
                       errors);
}

std::vector<ScenarioEntry> DescribeScenario(const SimConfig& config) {
  std::vector<ScenarioEntry> entries;
  for (const KeySpec& spec : KeySpecs()) {
    if (std::optional<std::string> value = spec.write(config)) {
      entries.push_back({spec.key, std::move(*value)});
    }
  }
  for (std::size_t i = 0; i < config.events.size(); ++i) {
    entries.push_back({fmt::format("events[{}]", i + 1),
                       scenario_internal::EventLiteral(config.events[i])});
  }
  return entries;
}

std::string ScenarioToToml(const SimConfig& config) {
  return EntriesToToml(DescribeScenario(config));
}

std::vector<ScenarioKeyHelp> ScenarioKeys() {
  const SimConfig defaults;
  std::vector<ScenarioKeyHelp> keys;
  for (const KeySpec& spec : KeySpecs()) {
    keys.push_back(
        {spec.key, spec.description, spec.write(defaults).value_or("")});
  }
  for (ScenarioKeyHelp& key : scenario_internal::EventKeys()) {
    keys.push_back(std::move(key));
  }
  return keys;
}

}  // namespace callshare
