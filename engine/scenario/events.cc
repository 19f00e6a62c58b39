#include "events.h"

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <set>

#include <fmt/format.h>

namespace callshare::scenario_internal {
namespace {

// One key of an event table, bound to a field of one kind of change.
struct EventField {
  std::string_view name;
  std::string description;
  bool required = true;
  std::function<void(const Item&, LoadContext&, AdminChange&)> read;
  // The field as TOML text, or nullopt to leave it out.
  std::function<std::optional<std::string>(const AdminChange&)> write;
};

struct ActionSpec {
  std::string_view name;
  std::string description;
  std::vector<EventField> fields;
};

template <typename Change>
EventField TextField(std::string_view name, std::string description,
                     std::string Change::*member) {
  return {
      name, std::move(description), true,
      [member](const Item& item, LoadContext& context, AdminChange& change) {
        ReadString(item, context, &(std::get<Change>(change).*member));
      },
      [member](const AdminChange& change) -> std::optional<std::string> {
        return StringLiteral(std::get<Change>(change).*member);
      }};
}

template <typename Change>
EventField CountField(std::string_view name, std::string description,
                      std::uint32_t min, std::uint32_t Change::*member) {
  return {name, std::move(description), true,
          [min, member](const Item& item, LoadContext& context,
                        AdminChange& change) {
            ReadUint32(item, min, context, &(std::get<Change>(change).*member));
          },
          [member](const AdminChange& change) -> std::optional<std::string> {
            return std::to_string(std::get<Change>(change).*member);
          }};
}

// Policy fields as policies.csv names them; an empty choice list means
// the field is a boolean.
struct PolicyField {
  std::string_view name;
  std::string_view choices;
};
constexpr std::array<PolicyField, 7> kPolicyFields{{
    {"allow_call_groups", ""},
    {"allow_delegation", ""},
    {"allow_call_forwarding_to_user", ""},
    {"allow_call_forwarding_to_phone", ""},
    {"allow_voicemail", "AlwaysEnabled | AlwaysDisabled | UserOverride"},
    {"busy_on_busy", "Enabled | Unanswered | Disabled | UserOverride"},
    {"inbound_pstn_treatment",
     "RegularIncoming | Unanswered | Voicemail | UserOverride"},
}};

const PolicyField* FindPolicyField(std::string_view name) {
  for (const PolicyField& field : kPolicyFields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

std::string PolicyFieldChoices() {
  std::string text;
  for (const PolicyField& field : kPolicyFields) {
    if (!text.empty()) text += " | ";
    text += field.name;
  }
  return text;
}

// Whether `value` is one of the " | "-separated `choices`.
bool IsChoice(std::string_view choices, std::string_view value) {
  while (!choices.empty()) {
    const std::size_t bar = choices.find(" | ");
    if (choices.substr(0, bar) == value) return true;
    if (bar == std::string_view::npos) break;
    choices.remove_prefix(bar + 3);
  }
  return false;
}

std::vector<EventField> SetPolicyFields() {
  std::vector<EventField> fields;
  fields.push_back(TextField("policy", "name of the calling policy",
                             &SetPolicyChange::policy));
  fields.push_back(
      {"field", "policies.csv column: " + PolicyFieldChoices(), true,
       [](const Item& item, LoadContext& context, AdminChange& change) {
         auto& set = std::get<SetPolicyChange>(change);
         if (!ReadString(item, context, &set.field)) return;
         if (FindPolicyField(set.field) == nullptr) {
           context.Error(item, "unknown policy field '" + set.field +
                                   "'; choose " + PolicyFieldChoices());
         }
       },
       [](const AdminChange& change) -> std::optional<std::string> {
         return StringLiteral(std::get<SetPolicyChange>(change).field);
       }});
  fields.push_back(
      {"value", "true/false, or the enumeration name the field takes", true,
       [](const Item& item, LoadContext& context, AdminChange& change) {
         auto& set = std::get<SetPolicyChange>(change);
         if (item.node.is_boolean()) {
           set.value = BoolLiteral(*item.node.value<bool>());
         } else {
           ReadString(item, context, &set.value);
         }
       },
       [](const AdminChange& change) -> std::optional<std::string> {
         const auto& set = std::get<SetPolicyChange>(change);
         const PolicyField* field = FindPolicyField(set.field);
         if (field != nullptr && field->choices.empty()) return set.value;
         return StringLiteral(set.value);
       }});
  return fields;
}

std::vector<EventField> AssignPolicyFields() {
  std::vector<EventField> fields;
  fields.push_back(TextField("policy", "name of the calling policy",
                             &AssignPolicyChange::policy));
  fields.push_back(
      {"users", "UPNs to assign it to; else the selector applies", false,
       [](const Item& item, LoadContext& context, AdminChange& change) {
         ReadStringList(item, context,
                        &std::get<AssignPolicyChange>(change).users);
       },
       [](const AdminChange& change) -> std::optional<std::string> {
         const auto& users = std::get<AssignPolicyChange>(change).users;
         if (users.empty()) return std::nullopt;
         return StringListLiteral(users);
       }});
  fields.push_back(
      {"selector", "users drawn from: " + Choices(UserSelectorNames()), false,
       [](const Item& item, LoadContext& context, AdminChange& change) {
         ReadEnum(item, UserSelectorNames(), "selector", context,
                  &std::get<AssignPolicyChange>(change).selector);
       },
       [](const AdminChange& change) -> std::optional<std::string> {
         const auto& assign = std::get<AssignPolicyChange>(change);
         if (!assign.users.empty()) return std::nullopt;
         return StringLiteral(NameOf(UserSelectorNames(), assign.selector));
       }});
  fields.push_back(
      {"share", "share of the selected users, default 1", false,
       [](const Item& item, LoadContext& context, AdminChange& change) {
         ReadReal(item, kUnitInterval, context,
                  &std::get<AssignPolicyChange>(change).share);
       },
       [](const AdminChange& change) -> std::optional<std::string> {
         const auto& assign = std::get<AssignPolicyChange>(change);
         if (!assign.users.empty()) return std::nullopt;
         return RealLiteral(assign.share);
       }});
  EventField count = CountField("count",
                                "number of selected users; "
                                "overrides share when > 0",
                                0, &AssignPolicyChange::count);
  count.required = false;
  fields.push_back(std::move(count));
  return fields;
}

std::vector<EventField> MemberFields(bool with_notification) {
  std::vector<EventField> fields;
  if (with_notification) {
    fields.push_back(TextField("owner", "UPN of the call group's owner",
                               &AddMemberChange::owner));
    fields.push_back(TextField("member", "UPN added at the group's end",
                               &AddMemberChange::member));
    fields.push_back(
        {"notification",
         "the member's notification: " + Choices(NotificationNames()), false,
         [](const Item& item, LoadContext& context, AdminChange& change) {
           ReadEnum(item, NotificationNames(), "notification", context,
                    &std::get<AddMemberChange>(change).notification);
         },
         [](const AdminChange& change) -> std::optional<std::string> {
           return StringLiteral(
               NameOf(NotificationNames(),
                      std::get<AddMemberChange>(change).notification));
         }});
    return fields;
  }
  fields.push_back(TextField("owner", "UPN of the call group's owner",
                             &RemoveMemberChange::owner));
  fields.push_back(TextField("member", "UPN removed from the group",
                             &RemoveMemberChange::member));
  return fields;
}

constexpr std::array<std::pair<std::string_view, Permission>, 5> kPermissions{{
    {"MakeCalls", kMakeCalls},
    {"ReceiveCalls", kReceiveCalls},
    {"ManageSettings", kManageSettings},
    {"PickUpHeldCalls", kPickUpHeldCalls},
    {"JoinActiveCalls", kJoinActiveCalls},
}};

void ReadPermissions(const Item& item, LoadContext& context, Permissions* out) {
  std::vector<std::string> names;
  if (!ReadStringList(item, context, &names)) return;
  Permissions permissions = 0;
  for (const std::string& name : names) {
    const auto found = std::find_if(
        kPermissions.begin(), kPermissions.end(),
        [&name](const auto& entry) { return entry.first == name; });
    if (found == kPermissions.end()) {
      context.Error(item, "unknown permission '" + name +
                              "'; choose MakeCalls | ReceiveCalls | "
                              "ManageSettings | PickUpHeldCalls | "
                              "JoinActiveCalls");
      return;
    }
    permissions = static_cast<Permissions>(permissions | found->second);
  }
  *out = permissions;
}

std::string PermissionsLiteral(Permissions permissions) {
  std::vector<std::string> names;
  for (const auto& [name, bit] : kPermissions) {
    if ((permissions & bit) != 0) names.emplace_back(name);
  }
  return StringListLiteral(names);
}

std::vector<EventField> DelegateFields(bool with_permissions) {
  std::vector<EventField> fields;
  if (!with_permissions) {
    fields.push_back(TextField("delegator", "UPN of the delegator",
                               &RemoveDelegateChange::delegator));
    fields.push_back(TextField("delegate", "UPN of the delegate removed",
                               &RemoveDelegateChange::delegate));
    return fields;
  }
  fields.push_back(TextField("delegator", "UPN of the delegator",
                             &AddDelegateChange::delegator));
  fields.push_back(TextField("delegate", "UPN of the new delegate",
                             &AddDelegateChange::delegate));
  fields.push_back(
      {"permissions", "permission names, default [\"ReceiveCalls\"]", false,
       [](const Item& item, LoadContext& context, AdminChange& change) {
         ReadPermissions(item, context,
                         &std::get<AddDelegateChange>(change).permissions);
       },
       [](const AdminChange& change) -> std::optional<std::string> {
         return PermissionsLiteral(
             std::get<AddDelegateChange>(change).permissions);
       }});
  return fields;
}

std::vector<EventField> SetLimitFields() {
  std::vector<EventField> fields;
  fields.push_back(
      {"name", "the limit: " + Choices(LimitNames()), true,
       [](const Item& item, LoadContext& context, AdminChange& change) {
         ReadEnum(item, LimitNames(), "limit", context,
                  &std::get<SetLimitChange>(change).limit);
       },
       [](const AdminChange& change) -> std::optional<std::string> {
         return StringLiteral(
             NameOf(LimitNames(), std::get<SetLimitChange>(change).limit));
       }});
  fields.push_back(
      CountField("value", "the new limit", 0, &SetLimitChange::value));
  return fields;
}

// In AdminAction order, so that an action indexes its spec.
std::vector<ActionSpec> BuildActionSpecs() {
  std::vector<ActionSpec> specs;
  specs.push_back(
      {"set_policy", "sets a field of a calling policy", SetPolicyFields()});
  specs.push_back(
      {"assign_policy", "assigns a policy to users", AssignPolicyFields()});
  specs.push_back({"cleanup", "removes relationships policies forbid", {}});
  specs.push_back(
      {"add_member", "adds a member to a call group", MemberFields(true)});
  specs.push_back({"remove_member", "removes a member from a call group",
                   MemberFields(false)});
  specs.push_back(
      {"create_groups",
       "users without a group each create one",
       {CountField("count", "groups to create", 1, &CreateGroupsChange::count),
        CountField("size", "members of each", 1, &CreateGroupsChange::size)}});
  specs.push_back({"add_delegate", "adds a delegate", DelegateFields(true)});
  specs.push_back(
      {"remove_delegate", "removes a delegate", DelegateFields(false)});
  specs.push_back({"set_limit", "changes a limit", SetLimitFields()});
  return specs;
}

const std::vector<ActionSpec>& ActionSpecs() {
  static const std::vector<ActionSpec> specs = BuildActionSpecs();
  return specs;
}

std::string ActionChoices() {
  std::string text;
  for (const ActionSpec& spec : ActionSpecs()) {
    if (!text.empty()) text += " | ";
    text += spec.name;
  }
  return text;
}

// The change of `action`, default-constructed, to be filled field by
// field.
AdminChange EmptyChange(std::size_t action) {
  static const std::array<AdminChange, std::variant_size_v<AdminChange>> kEmpty{
      SetPolicyChange{},   AssignPolicyChange{},   CleanupChange{},
      AddMemberChange{},   RemoveMemberChange{},   CreateGroupsChange{},
      AddDelegateChange{}, RemoveDelegateChange{}, SetLimitChange{}};
  return kEmpty[action];
}

// Finds the action of an event table, reporting a missing or bad one.
std::optional<std::size_t> ReadAction(const Item& item,
                                      const toml::table& table,
                                      LoadContext& context) {
  const toml::node* node = table.get("action");
  if (node == nullptr) {
    context.Error(item, "missing action; choose " + ActionChoices());
    return std::nullopt;
  }
  const Item action{*node, item.key + ".action", item.line};
  std::string name;
  if (!ReadString(action, context, &name)) return std::nullopt;
  const auto& specs = ActionSpecs();
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].name == name) return i;
  }
  context.Error(action,
                "unknown action '" + name + "'; choose " + ActionChoices());
  return std::nullopt;
}

// Reports the value of set_policy that its field does not take.
void CheckPolicyValue(const Item& item, const SetPolicyChange& set,
                      LoadContext& context) {
  const PolicyField* field = FindPolicyField(set.field);
  if (field == nullptr) return;
  const std::string_view choices =
      field->choices.empty() ? "true | false" : field->choices;
  if (!IsChoice(choices, set.value)) {
    context.Error(Item{item.node, item.key + ".value", item.line},
                  fmt::format("{} does not take '{}'; choose {}", set.field,
                              set.value, choices));
  }
}

void ReadEvent(const Item& item, std::uint32_t position, LoadContext& context,
               std::vector<AdminEvent>* out) {
  const toml::table* table = item.node.as_table();
  if (table == nullptr) {
    context.Error(item,
                  "expected a table, got " + std::string(TypeName(item.node)));
    return;
  }
  const std::optional<std::size_t> action = ReadAction(item, *table, context);
  if (!action) return;
  const ActionSpec& spec = ActionSpecs()[*action];
  AdminEvent event{-1.0, EmptyChange(*action), item.line, position};

  // Every key is read; each must belong to the action.
  std::set<std::string_view> given;
  ForEachEntry(item, context, [&](const Item& entry) {
    const std::string_view name =
        std::string_view(entry.key).substr(item.key.size() + 1);
    if (name == "action") return;
    if (name == "at_s") {
      ReadReal(entry, kNonNegative, context, &event.at_s);
      return;
    }
    for (const EventField& field : spec.fields) {
      if (field.name == name) {
        given.insert(field.name);
        field.read(entry, context, event.change);
        return;
      }
    }
    context.Error(entry, fmt::format("unknown key for action {}", spec.name));
  });

  // Required fields, then checks that span fields.
  if (!table->contains("at_s")) context.Error(item, "missing at_s");
  for (const EventField& field : spec.fields) {
    if (field.required && !given.contains(field.name)) {
      context.Error(
          item, fmt::format("missing {} for action {}", field.name, spec.name));
    }
  }
  if (const auto* set = std::get_if<SetPolicyChange>(&event.change)) {
    CheckPolicyValue(item, *set, context);
  }
  out->push_back(std::move(event));
}

}  // namespace

void ReadEvents(const Item& item, LoadContext& context,
                std::vector<AdminEvent>* out) {
  const toml::array* array = item.node.as_array();
  if (array == nullptr) {
    context.Error(item, "expected [[events]] tables, got " +
                            std::string(TypeName(item.node)));
    return;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    const auto line = static_cast<std::uint32_t>(element.source().begin.line);
    const auto position = static_cast<std::uint32_t>(i + 1);
    ReadEvent(Item{element, fmt::format("events[{}]", position), line},
              position, context, out);
  }
}

std::string EventLiteral(const AdminEvent& event) {
  const ActionSpec& spec = ActionSpecs()[event.change.index()];
  std::string text =
      fmt::format("{{ at_s = {}, action = {}", RealLiteral(event.at_s),
                  StringLiteral(spec.name));
  for (const EventField& field : spec.fields) {
    const std::optional<std::string> value = field.write(event.change);
    if (value) text += fmt::format(", {} = {}", field.name, *value);
  }
  return text + " }";
}

std::vector<ScenarioKeyHelp> EventKeys() {
  std::vector<ScenarioKeyHelp> keys;
  keys.push_back({"events.at_s", "simulated second of the change", ""});
  keys.push_back({"events.action", ActionChoices(), ""});
  for (const ActionSpec& spec : ActionSpecs()) {
    for (const EventField& field : spec.fields) {
      keys.push_back({"events." + std::string(field.name),
                      std::string(spec.name) + ": " + field.description, ""});
    }
  }
  return keys;
}

}  // namespace callshare::scenario_internal
