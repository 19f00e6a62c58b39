#include "callshare/sim/results.h"

#include <algorithm>

namespace callshare {
namespace {

constexpr std::array<std::string_view, kOutcomeCount> kOutcomeNames = {
    "answered_by_owner",
    "picked_up_by_member",
    "answered_by_delegate",
    "answered_by_forward_target",
    "voicemail",
    "busy_signal",
    "abandoned",
    "disconnected",
};

// Walks the cumulative counts to the bin holding the q-quantile and
// interpolates linearly inside it. Underflow counts as the lowest edge and
// overflow as the highest, so a quantile never leaves the axis.
template <typename Histogram>
double QuantileOf(const Histogram& histogram, double q) {
  const auto& axis = histogram.axis();
  double total = 0;
  for (auto&& cell :
       boost::histogram::indexed(histogram, boost::histogram::coverage::all)) {
    total += *cell;
  }
  if (total <= 0) return 0.0;

  const double wanted = q * total;
  double below = 0;
  for (auto&& cell :
       boost::histogram::indexed(histogram, boost::histogram::coverage::all)) {
    const double count = *cell;
    if (count <= 0 || below + count < wanted) {
      below += count;
      continue;
    }
    const int index = cell.index();
    if (index < 0) return axis.value(0);
    if (index >= axis.size()) return axis.value(axis.size());
    const double fraction = (wanted - below) / count;
    return cell.bin().lower() +
           fraction * (cell.bin().upper() - cell.bin().lower());
  }
  return axis.value(axis.size());
}

}  // namespace

std::string_view Name(Outcome outcome) {
  return kOutcomeNames[std::size_t(outcome)];
}

TimeToAnswerHistogram MakeTimeToAnswerHistogram() {
  return boost::histogram::make_histogram_with(
      boost::histogram::dense_storage<double>(),
      TimeToAnswerAxis(kTimeToAnswerBins, 0.0, kTimeToAnswerMaxS));
}

LatencyHistogram MakeLatencyHistogram() {
  return boost::histogram::make_histogram_with(
      boost::histogram::dense_storage<double>(),
      LatencyAxis(kLatencyBins, kLatencyMinNs, kLatencyMaxNs));
}

double Quantile(const TimeToAnswerHistogram& histogram, double q) {
  return QuantileOf(histogram, q);
}

double Quantile(const LatencyHistogram& histogram, double q) {
  return QuantileOf(histogram, q);
}

}  // namespace callshare
