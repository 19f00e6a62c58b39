#include "mpi_runner.h"

#include <mpi.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <span>
#include <string>

#include <fmt/core.h>

#include "callshare/sim/result_codec.h"

namespace callshare::cli {
namespace {

// Results travel on a tag of their own, so that nothing else sent on the
// world communicator is ever read as one.
constexpr int kResultTag = 7301;

bool mpi_started = false;
int world_rank = 0;
int world_size = 1;

// Launchers announce themselves through the environment: Open MPI's
// mpirun, PMIx launchers (srun, prterun) and MPICH's hydra. Without one,
// callshare stays a plain process instead of paying for a singleton MPI
// start-up on every command.
bool LaunchedByMpi() {
  for (const char* name :
       {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

[[noreturn]] void AbortJob(const std::string& message) {
  fmt::print(stderr, "callshare: rank {}: {}\n", world_rank, message);
  MPI_Abort(MPI_COMM_WORLD, EXIT_FAILURE);
  std::abort();  // MPI_Abort does not return; this tells the compiler so
}

// The replications this rank runs, in increasing order.
std::vector<std::uint32_t> OwnReplications(std::uint32_t count) {
  std::vector<std::uint32_t> own;
  for (std::uint32_t r = std::uint32_t(world_rank); r < count;
       r += std::uint32_t(world_size)) {
    own.push_back(r);
  }
  return own;
}

// Runs this rank's replications on run.threads workers (0: one per core).
std::vector<ReplicationResult> RunOwnShare(const SimConfig& config,
                                           const Tenant& tenant,
                                           ProgressFn progress) {
  const std::vector<std::uint32_t> own =
      OwnReplications(config.run.replications);
  return RunReplications(config, tenant, own, config.run.threads,
                         std::move(progress));
}

// One message a result, in replication order: MPI keeps messages from
// one sender on one tag in order, and no message nears the 2 GiB an int
// count can describe, whatever the number of replications.
void SendToLead(const std::vector<ReplicationResult>& results) {
  std::vector<std::byte> bytes;
  for (const ReplicationResult& result : results) {
    bytes.clear();
    EncodeResult(result, &bytes);
    if (bytes.size() > std::size_t(std::numeric_limits<int>::max())) {
      AbortJob("a replication result is too large to send");
    }
    MPI_Send(bytes.data(), int(bytes.size()), MPI_BYTE, 0, kResultTag,
             MPI_COMM_WORLD);
  }
}

ReplicationResult ReceiveResult(std::uint32_t replication) {
  const int source = int(replication % std::uint32_t(world_size));
  MPI_Status status;
  MPI_Probe(source, kResultTag, MPI_COMM_WORLD, &status);
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  std::vector<std::byte> bytes(std::size_t(std::max(count, 0)));
  MPI_Recv(bytes.data(), count, MPI_BYTE, source, kResultTag, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);

  std::span<const std::byte> rest(bytes);
  std::optional<ReplicationResult> result = DecodeResult(&rest);
  if (!result || !rest.empty() || result->replication != replication) {
    AbortJob(fmt::format(
        "replication {} from rank {} did not decode (are all ranks the "
        "same callshare build?)",
        replication, source));
  }
  return std::move(*result);
}

// Rank 0's own results plus everyone else's, in replication order.
std::vector<ReplicationResult> GatherOnLead(std::vector<ReplicationResult> own,
                                            std::uint32_t count) {
  std::vector<ReplicationResult> results(count);
  for (ReplicationResult& result : own) {
    const std::uint32_t replication = result.replication;
    results[replication] = std::move(result);
  }
  for (std::uint32_t r = 0; r < count; ++r) {
    if (r % std::uint32_t(world_size) != 0) results[r] = ReceiveResult(r);
  }
  return results;
}

}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
  if (!LaunchedByMpi()) return;
  // Only the main thread calls MPI; the simulator's workers never do.
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  mpi_started = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  // Rank 0 speaks for the job; the others would only repeat it.
  if (world_rank != 0 && std::freopen("/dev/null", "w", stdout) == nullptr) {
    std::fclose(stdout);
  }
}

int MpiSession::End(int exit_code) {
  if (exit_code != 0 && world_size > 1) {
    std::fflush(stdout);
    MPI_Abort(MPI_COMM_WORLD, exit_code);
  }
  return exit_code;
}

MpiSession::~MpiSession() {
  if (mpi_started) MPI_Finalize();
  mpi_started = false;
}

int MpiRank() { return world_rank; }
int MpiSize() { return world_size; }

std::uint32_t ReplicationsOnThisRank(std::uint32_t replications) {
  return std::uint32_t(OwnReplications(replications).size());
}

std::vector<ReplicationResult> RunReplicationsOnRanks(const SimConfig& config,
                                                      const Tenant& tenant,
                                                      ProgressFn progress) {
  if (world_size == 1) {
    return RunReplications(config, tenant, config.run.threads,
                           std::move(progress));
  }
  std::vector<ReplicationResult> own =
      RunOwnShare(config, tenant, std::move(progress));
  if (world_rank != 0) {
    SendToLead(own);
    return {};
  }
  return GatherOnLead(std::move(own), config.run.replications);
}

std::uint64_t MaxOverRanks(std::uint64_t value) {
  if (world_size == 1) return value;
  std::uint64_t max = value;
  MPI_Reduce(&value, &max, 1, MPI_UINT64_T, MPI_MAX, 0, MPI_COMM_WORLD);
  return world_rank == 0 ? max : value;
}

}  // namespace callshare::cli
