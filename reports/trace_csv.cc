#include "callshare/reports/trace_csv.h"

#include <fmt/format.h>

#include "callshare/reports/summary_csv.h"
#include "callshare/reports/summary_json.h"

namespace callshare {
namespace {

std::string Seconds(std::uint32_t ms) { return CsvNumber(double(ms) / 1e3); }

// Ring time of a leg; empty when it rings until the caller gives up.
std::string RingSeconds(const RingLeg& leg) {
  if (leg.ring_ms == RingLeg::kUntilCallerGivesUp) return "";
  return Seconds(leg.ring_ms);
}

void AppendCall(std::size_t id, const TracedCall& call, const Tenant& tenant,
                std::string* text) {
  const bool answered = call.answered_leg >= 0;
  const std::string answered_by =
      answered
          ? TargetName(call.legs[std::size_t(call.answered_leg)].leg.target,
                       tenant)
          : "";
  const std::string caller =
      call.caller == kNoUser ? "" : std::string(tenant.upn(call.caller));
  *text += fmt::format(
      "{},{},{},{},{},{},{},{},{},{}\n", id, CsvNumber(call.arrival_s),
      CsvCell(tenant.upn(call.callee)), CallerKind(call), CsvCell(caller),
      call.legs_rung(), Name(call.outcome), CsvCell(answered_by),
      answered ? CsvNumber(call.time_to_answer_s) : "",
      PlanFlagNames(call.plan_flags));
}

}  // namespace

std::string TargetName(TargetRef target, const Tenant& tenant) {
  if (IsPhone(target)) return std::string(tenant.phone(PhoneOf(target)));
  return std::string(tenant.upn(target));
}

std::string_view CallerKind(const TracedCall& call) {
  if (call.pstn) return "pstn";
  return call.caller == kNoUser ? "external" : "internal";
}

std::string PlanFlagNames(std::uint8_t flags) {
  std::string names;
  for (unsigned bit = 1; bit <= 0x80 && bit <= flags; bit <<= 1) {
    if ((flags & bit) == 0) continue;
    if (!names.empty()) names += '|';
    names += Name(static_cast<PlanFlag>(bit));
  }
  return names;
}

std::string TraceCallsCsv(const CallTrace& trace, const Tenant& tenant) {
  std::string text =
      "id,arrival_s,callee,caller_kind,caller,legs_rung,outcome,answered_by,"
      "time_to_answer_s,flags\n";
  for (std::size_t id = 0; id < trace.calls.size(); ++id) {
    AppendCall(id, trace.calls[id], tenant, &text);
  }
  return text;
}

std::string TraceLegsCsv(const CallTrace& trace, const Tenant& tenant) {
  std::string text =
      "call_id,leg,target,role,notification,start_s,ring_s,fate\n";
  for (std::size_t id = 0; id < trace.calls.size(); ++id) {
    const std::vector<TracedLeg>& legs = trace.calls[id].legs;
    for (std::size_t i = 0; i < legs.size(); ++i) {
      const RingLeg& leg = legs[i].leg;
      text +=
          fmt::format("{},{},{},{},{},{},{},{}\n", id, i,
                      CsvCell(TargetName(leg.target, tenant)), Name(leg.role),
                      Name(leg.notification), Seconds(leg.start_ms),
                      RingSeconds(leg), Name(legs[i].fate));
    }
  }
  return text;
}

bool WriteTraceCsvs(const CallTrace& trace, const Tenant& tenant,
                    const std::filesystem::path& out_dir, Diagnostics* errors) {
  const bool calls = WriteTextFile(out_dir / "calls.csv",
                                   TraceCallsCsv(trace, tenant), errors);
  const bool legs =
      WriteTextFile(out_dir / "legs.csv", TraceLegsCsv(trace, tenant), errors);
  return calls && legs;
}

}  // namespace callshare
