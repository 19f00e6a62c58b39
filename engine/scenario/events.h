// The [[events]] array: administrator changes at simulated times.
// Internal to callshare_scenario.
#ifndef CALLSHARE_SCENARIO_EVENTS_H_
#define CALLSHARE_SCENARIO_EVENTS_H_

#include <string>
#include <vector>

#include "callshare/scenario/scenario.h"
#include "callshare/sim/config.h"
#include "toml_values.h"

namespace callshare::scenario_internal {

// Reads an array of event tables into *out, in file order.
void ReadEvents(const Item& item, LoadContext& context,
                std::vector<AdminEvent>* out);

// One event as an inline TOML table, read back by ReadEvents.
std::string EventLiteral(const AdminEvent& event);

// The keys of an event table, for ScenarioKeys().
std::vector<ScenarioKeyHelp> EventKeys();

}  // namespace callshare::scenario_internal

#endif  // CALLSHARE_SCENARIO_EVENTS_H_
