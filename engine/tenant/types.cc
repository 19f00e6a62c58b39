#include "callshare/tenant/types.h"

#include <array>
#include <cstddef>
#include <utility>

#include "callshare/tenant/directory.h"

namespace callshare {
namespace {

// Each enumeration's names, indexed by the enumerator's value. A table per
// enumeration keeps Name, ParseEnum and EnumChoices from ever disagreeing.
template <typename Enum>
struct NameTable;

template <>
struct NameTable<Notification> {
  static constexpr std::array<std::string_view, 3> kNames = {"Ring", "Banner",
                                                             "Mute"};
  static constexpr std::string_view kChoices = "Ring | Banner | Mute";
};

template <>
struct NameTable<NotificationOverride> {
  static constexpr std::array<std::string_view, 4> kNames = {"None", "Ring",
                                                             "Banner", "Mute"};
  static constexpr std::string_view kChoices = "None | Ring | Banner | Mute";
};

template <>
struct NameTable<ForwardingType> {
  static constexpr std::array<std::string_view, 2> kNames = {"Immediate",
                                                             "Simultaneous"};
  static constexpr std::string_view kChoices = "Immediate | Simultaneous";
};

// kNone is written as an empty field: the setting is off.
template <>
struct NameTable<TargetType> {
  static constexpr std::array<std::string_view, 5> kNames = {
      "", "Voicemail", "SingleTarget", "MyDelegates", "Group"};
  static constexpr std::string_view kChoices =
      "(empty) | Voicemail | SingleTarget | MyDelegates | Group";
};

template <>
struct NameTable<RingOrder> {
  static constexpr std::array<std::string_view, 2> kNames = {"Simultaneous",
                                                             "InOrder"};
  static constexpr std::string_view kChoices = "Simultaneous | InOrder";
};

template <>
struct NameTable<BusyOnBusyOption> {
  static constexpr std::array<std::string_view, 3> kNames = {
      "PlayBusySignal", "RedirectAsUnansweredCall", "RingUser"};
  static constexpr std::string_view kChoices =
      "PlayBusySignal | RedirectAsUnansweredCall | RingUser";
};

template <>
struct NameTable<VoicemailPolicy> {
  static constexpr std::array<std::string_view, 3> kNames = {
      "AlwaysEnabled", "AlwaysDisabled", "UserOverride"};
  static constexpr std::string_view kChoices =
      "AlwaysEnabled | AlwaysDisabled | UserOverride";
};

template <>
struct NameTable<BusyOnBusyPolicy> {
  static constexpr std::array<std::string_view, 4> kNames = {
      "Enabled", "Unanswered", "Disabled", "UserOverride"};
  static constexpr std::string_view kChoices =
      "Enabled | Unanswered | Disabled | UserOverride";
};

template <>
struct NameTable<PstnTreatment> {
  static constexpr std::array<std::string_view, 4> kNames = {
      "RegularIncoming", "Unanswered", "Voicemail", "UserOverride"};
  static constexpr std::string_view kChoices =
      "RegularIncoming | Unanswered | Voicemail | UserOverride";
};

template <>
struct NameTable<Presence> {
  static constexpr std::array<std::string_view, 5> kNames = {
      "available", "busy", "away", "do_not_disturb", "offline"};
  static constexpr std::string_view kChoices =
      "available | busy | away | do_not_disturb | offline";
};

template <typename Enum>
std::string_view NameOf(Enum value) {
  const auto index = static_cast<std::size_t>(value);
  const auto& names = NameTable<Enum>::kNames;
  return index < names.size() ? names[index] : std::string_view("?");
}

}  // namespace

std::string_view Name(Notification value) { return NameOf(value); }
std::string_view Name(NotificationOverride value) { return NameOf(value); }
std::string_view Name(ForwardingType value) { return NameOf(value); }
std::string_view Name(TargetType value) { return NameOf(value); }
std::string_view Name(RingOrder value) { return NameOf(value); }
std::string_view Name(BusyOnBusyOption value) { return NameOf(value); }
std::string_view Name(VoicemailPolicy value) { return NameOf(value); }
std::string_view Name(BusyOnBusyPolicy value) { return NameOf(value); }
std::string_view Name(PstnTreatment value) { return NameOf(value); }
std::string_view Name(Presence value) { return NameOf(value); }

template <typename Enum>
std::optional<Enum> ParseEnum(std::string_view name) {
  const auto& names = NameTable<Enum>::kNames;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

template <typename Enum>
std::string_view EnumChoices() {
  return NameTable<Enum>::kChoices;
}

// The enumerations that have names; any other instantiation fails to link.
#define CALLSHARE_INSTANTIATE_ENUM_NAMES(Enum)                    \
  template std::optional<Enum> ParseEnum<Enum>(std::string_view); \
  template std::string_view EnumChoices<Enum>();

CALLSHARE_INSTANTIATE_ENUM_NAMES(Notification)
CALLSHARE_INSTANTIATE_ENUM_NAMES(NotificationOverride)
CALLSHARE_INSTANTIATE_ENUM_NAMES(ForwardingType)
CALLSHARE_INSTANTIATE_ENUM_NAMES(TargetType)
CALLSHARE_INSTANTIATE_ENUM_NAMES(RingOrder)
CALLSHARE_INSTANTIATE_ENUM_NAMES(BusyOnBusyOption)
CALLSHARE_INSTANTIATE_ENUM_NAMES(VoicemailPolicy)
CALLSHARE_INSTANTIATE_ENUM_NAMES(BusyOnBusyPolicy)
CALLSHARE_INSTANTIATE_ENUM_NAMES(PstnTreatment)
CALLSHARE_INSTANTIATE_ENUM_NAMES(Presence)

#undef CALLSHARE_INSTANTIATE_ENUM_NAMES

bool IsAllowedUnansweredDelay(std::uint32_t seconds) {
  switch (seconds) {
    case 5:
    case 10:
    case 15:
    case 20:
    case 30:
    case 40:
    case 50:
    case 60:
      return true;
    default:
      return false;
  }
}

}  // namespace callshare
