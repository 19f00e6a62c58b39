// Spreading replications over the MPI ranks that mpirun started.
//
// Every rank loads the same scenario and tenant. The replications of a
// run, or of every point of a sweep taken one after the other, are
// numbered as one list of (point, replication) pairs; pair p runs on rank
// p % ranks, on run.threads threads of its own. So a sweep of 4 points of
// 1 replication keeps 4 ranks busy, where spreading each point alone
// would leave all but rank 0 idle. A point tells the ranks where its
// replications start in that list (`first_pair`: the replications of the
// points before it).
//
// The ranks send their results, encoded by result_codec.h, to rank 0
// without waiting for it to receive them, and go on to their next point;
// rank 0 puts each point's results in replication order. Since a
// replication is a pure function of the scenario, the tenant, the point
// and its number, rank 0 then holds exactly what a single process would
// have computed. Only rank 0 writes files and prints results; the other
// ranks' stdout goes to /dev/null and their stderr carries errors only.
//
// Built without MPI (CALLSHARE_HAVE_MPI undefined), or started without an
// MPI launcher, everything here runs as one rank of one.
#ifndef CALLSHARE_CLI_MPI_RUNNER_H_
#define CALLSHARE_CLI_MPI_RUNNER_H_

#include <cstdint>
#include <vector>

#include "callshare/sim/config.h"
#include "callshare/sim/results.h"
#include "callshare/sim/simulator.h"
#include "callshare/tenant/tenant.h"

namespace callshare::cli {

#ifdef CALLSHARE_HAVE_MPI

// Initializes MPI for the life of the object when an MPI launcher started
// the process (mpirun, srun, mpiexec), and does nothing otherwise, so that
// a plain `callshare run` never pays for MPI's start-up. Create one, in
// main, before anything else runs. Not thread-safe.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  // Returns `exit_code`, for main to return. A failing rank of a job of
  // several aborts the whole job instead: the others may be waiting for
  // its results and would otherwise wait forever.
  int End(int exit_code);
};

// This process's rank and the number of ranks: 0 and 1 outside MPI.
int MpiRank();
int MpiSize();

// How many of `replications` replications, numbered from `first_pair`
// in the job's list of pairs, this rank runs.
std::uint32_t ReplicationsOnThisRank(std::uint32_t replications,
                                     std::uint64_t first_pair);

// Runs every replication of `config`, pairs first_pair onwards of the
// job, over the ranks. Returns them all in replication order on rank 0
// and nothing on the other ranks. `progress` sees this rank's
// replications only. Every rank must call it with the same configuration
// and first_pair; aborts the job when a result does not decode.
std::vector<ReplicationResult> RunReplicationsOnRanks(const SimConfig& config,
                                                      const Tenant& tenant,
                                                      std::uint64_t first_pair,
                                                      ProgressFn progress);

// The largest `value` over the ranks, on rank 0 (elsewhere: `value`).
// Every rank must call it, as often and in the same order; only rank 0
// waits.
std::uint64_t MaxOverRanks(std::uint64_t value);

#else

class MpiSession {
 public:
  MpiSession(int*, char***) {}
  int End(int exit_code) { return exit_code; }
};
inline int MpiRank() { return 0; }
inline int MpiSize() { return 1; }
inline std::uint32_t ReplicationsOnThisRank(std::uint32_t replications,
                                            std::uint64_t) {
  return replications;
}
inline std::vector<ReplicationResult> RunReplicationsOnRanks(
    const SimConfig& config, const Tenant& tenant, std::uint64_t,
    ProgressFn progress) {
  return RunReplications(config, tenant, config.run.threads,
                         std::move(progress));
}
inline std::uint64_t MaxOverRanks(std::uint64_t value) { return value; }

#endif  // CALLSHARE_HAVE_MPI

// Whether this process writes files and prints: rank 0, or the only one.
inline bool IsLeadRank() { return MpiRank() == 0; }

}  // namespace callshare::cli

#endif  // CALLSHARE_CLI_MPI_RUNNER_H_
