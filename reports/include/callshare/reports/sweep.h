// A sweep: one scenario run at every point of a grid of parameter values,
// with a summary per point. The runner lives with the simulator; this is
// the model and its files:
//   sweep.csv   one row a point: the swept parameters, then for each
//               outcome <outcome>_mean,<outcome>_ci_low,<outcome>_ci_high,
//               then time_to_answer_p50_s, _p90_s, _p99_s,
//               routing_latency_p50_ns, routing_latency_p99_ns, erlang_b
//   sweep.json  schema "callshare.sweep/1": the parameter names and, per
//               point, its values and its whole summary.
//
// A point is an Erlang loss system when its summary's parameters carry
// kErlangServersKey and kErlangOfferedKey (a Simultaneous group of that
// many members offered that many erlangs, owner never answering). Then
// erlang_b holds B(servers, offered erlangs), the voicemail share the
// point should reproduce; otherwise the cell is empty.
#ifndef CALLSHARE_REPORTS_SWEEP_H_
#define CALLSHARE_REPORTS_SWEEP_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "callshare/reports/summary.h"
#include "callshare/tenant/diagnostic.h"

namespace callshare {

inline constexpr std::string_view kSweepSchema = "callshare.sweep/1";
inline constexpr std::string_view kErlangServersKey = "erlang_loss.servers";
inline constexpr std::string_view kErlangOfferedKey =
    "erlang_loss.offered_erlangs";

// One point of the grid: a value per swept parameter, in the order of
// SweepResult::parameters, and what the run there measured.
struct SweepPoint {
  std::vector<std::string> values;
  Summary summary;
};

struct SweepResult {
  std::string scenario;
  std::vector<std::string> parameters;  // the names swept
  std::vector<SweepPoint> points;
};

// Erlang B: the blocking probability of `servers` servers offered
// `offered_erlangs` erlangs, by the recursion B(0) = 1,
// B(k) = A B(k-1) / (k + A B(k-1)), which stays within [0, 1] for every k.
double ErlangB(unsigned servers, double offered_erlangs);

// B(servers, erlangs) from a summary's Erlang loss parameters; nullopt
// when the summary does not carry both or they do not parse.
std::optional<double> ErlangBOf(const Summary& summary);

// The text of sweep.csv.
std::string SweepCsvText(const SweepResult& sweep);

// The sweep as ordered JSON (see the file comment).
nlohmann::ordered_json SweepToJson(const SweepResult& sweep);

// Writes sweep.csv and sweep.json into `out_dir`, creating it if missing.
bool WriteSweepFiles(const SweepResult& sweep,
                     const std::filesystem::path& out_dir, Diagnostics* errors);

// Reads and checks a sweep.json file; every problem is reported by field
// path ("points[2].summary.shares.voicemail.mean: missing").
std::optional<SweepResult> ReadSweep(const std::filesystem::path& file,
                                     Diagnostics* errors);

}  // namespace callshare

#endif  // CALLSHARE_REPORTS_SWEEP_H_
