// The discrete-event simulator: plays calls against a tenant through the
// router and measures how they end. One replication is a pure function of
// the configuration, the tenant and the replication number; replications
// run on a small pool of threads and come back in replication order.
//
// Model choices made here (everything else is a SimConfig field):
//   - an internal caller is drawn for the router and, unless
//     behaviour.internal_caller_busy, is not marked on a call (a scenario
//     parameter, listed here because it shapes everything below);
//   - a person is on at most one call; a leg whose person went on another
//     call between the leg's start and the drawn answer time is not
//     answered (the next earliest answer, if any, wins);
//   - calls still ringing at the end of the run are drained: arrivals stop
//     at duration_s and the run goes on until every ringing call has an
//     outcome, so offered equals the sum of outcomes;
//   - callees are drawn among the candidates fixed at the replication's
//     start (admin events that create groups do not add callees);
//   - with traffic.replay_log set, arrivals are the log's calls before
//     duration_s (caller patience is still drawn) and an answered call
//     holds its person for the logged duration;
//   - ties at one instant: queued wake-ups and admin events before an
//     arrival; within a call, legs start, then the earliest answer (first
//     in plan order), then the plan's ending, then the caller's patience;
//   - ReplicationResult::events counts arrivals, wake-ups of ringing
//     calls, admin events and hang-ups (applied lazily, counted when
//     scheduled), the events a textbook simulator would pop.
#ifndef CALLSHARE_SIM_SIMULATOR_H_
#define CALLSHARE_SIM_SIMULATOR_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "callshare/sim/config.h"
#include "callshare/sim/results.h"
#include "callshare/sim/trace.h"
#include "callshare/tenant/tenant.h"

namespace callshare {

// Where a replication stands, for a progress line.
struct Progress {
  std::uint32_t replication = 0;
  double simulated_s = 0;    // simulated time reached
  double duration_s = 0;     // the run's duration_s
  std::uint64_t calls = 0;   // calls arrived so far
  std::uint64_t events = 0;  // events processed so far
};

// Called from the worker that runs the replication, at most about every
// 0.25 s of wall time and once at its end. RunReplications serializes the
// calls, so a callback need not be thread-safe.
using ProgressFn = std::function<void(const Progress&)>;

// Switches of the simulator itself that are not part of a scenario.
struct SimulatorOptions {
  // Time Route calls into ReplicationResult::routing_latency_ns, one in
  // config.run.latency_sample_period of them. Off only to measure what
  // the measurement costs.
  bool measure_routing_latency = true;
  // Slices of ReplicationResult::timeline over the run's duration.
  std::uint32_t timeline_slices = 60;
  // When set, every call of the replication is recorded here, leg by leg
  // (slower; see callshare/sim/trace.h). Off costs a branch a hook.
  CallTrace* trace = nullptr;
};

// Runs replication `replication` of `config` over `tenant`: its random
// stream is Xoshiro256pp(config.run.seed) jumped `replication` times. The
// tenant is copied only when config.events would change it. Aborts when
// the run's accounting breaks (offered != sum of outcomes).
ReplicationResult RunReplication(const SimConfig& config, const Tenant& tenant,
                                 std::uint32_t replication,
                                 ProgressFn* progress = nullptr);

// Same, with explicit simulator options.
ReplicationResult RunReplication(const SimConfig& config, const Tenant& tenant,
                                 std::uint32_t replication,
                                 const SimulatorOptions& options,
                                 ProgressFn* progress);

// How many workers RunReplications starts for `replications`
// replications when asked for `threads` (0: one per core): never more
// than there are replications, and at least one.
unsigned WorkerThreads(unsigned threads, std::size_t replications);

// Runs config.run.replications replications on `threads` workers (0: one
// per core) and returns them in replication order; the results do not
// depend on the number of threads.
std::vector<ReplicationResult> RunReplications(const SimConfig& config,
                                               const Tenant& tenant,
                                               unsigned threads,
                                               ProgressFn progress = {});

// Runs the replications numbered in `replications` on `threads` workers
// (0: one per core) and returns their results in the order given. A
// process that holds only some of a run's replications (an MPI rank)
// runs its share this way.
std::vector<ReplicationResult> RunReplications(
    const SimConfig& config, const Tenant& tenant,
    std::span<const std::uint32_t> replications, unsigned threads,
    ProgressFn progress = {});

// Calibrates the clock that times routes (about 5 ms of spinning, once a
// process; later calls return at once). A replication calibrates it
// before its wall clock starts, but a caller timing a whole run calls this
// before starting its own clock, or the first run pays for it.
void CalibrateRoutingClock();

// The random stream of a replication: Xoshiro256pp(seed) jumped
// `replication` times, so that streams never overlap.
Xoshiro256pp ReplicationStream(std::uint64_t seed, std::uint32_t replication);

}  // namespace callshare

#endif  // CALLSHARE_SIM_SIMULATOR_H_
