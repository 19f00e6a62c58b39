#include "mpi_runner.h"

#include <mpi.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "callshare/sim/result_codec.h"

namespace callshare::cli {
namespace {

// Results travel on a tag of their own, so that nothing else sent on the
// world communicator is ever read as one.
constexpr int kResultTag = 7301;
constexpr int kMaxTag = 7302;

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

// The rank that runs replication `replication` of a point whose
// replications start at pair `first_pair` of the job.
int OwnerOf(std::uint64_t first_pair, std::uint32_t replication) {
  return int((first_pair + replication) % std::uint64_t(world_size));
}

// The replications of a point this rank runs, in increasing order.
std::vector<std::uint32_t> OwnReplications(std::uint32_t count,
                                           std::uint64_t first_pair) {
  std::vector<std::uint32_t> own;
  for (std::uint32_t r = 0; r < count; ++r) {
    if (OwnerOf(first_pair, r) == world_rank) own.push_back(r);
  }
  return own;
}

// Runs this rank's replications on run.threads workers (0: one per core).
std::vector<ReplicationResult> RunOwnShare(const SimConfig& config,
                                           const Tenant& tenant,
                                           std::uint64_t first_pair,
                                           ProgressFn progress) {
  const std::vector<std::uint32_t> own =
      OwnReplications(config.run.replications, first_pair);
  if (own.empty()) return {};
  return RunReplications(config, tenant, own, config.run.threads,
                         std::move(progress));
}

// A result on its way to rank 0: the bytes must outlive the send.
struct PendingSend {
  std::vector<std::byte> bytes;
  MPI_Request request = MPI_REQUEST_NULL;
};

// Sends not yet known to be complete. A rank does not wait for rank 0 to
// take a point's results before it runs its share of the next point;
// MpiSession's end completes them all before MPI shuts down.
std::vector<PendingSend> pending_sends;

void CompletePendingSends() {
  for (PendingSend& send : pending_sends) {
    MPI_Wait(&send.request, MPI_STATUS_IGNORE);
  }
  pending_sends.clear();
}

// Frees the bytes of the sends rank 0 has taken, so that a long sweep
// does not keep every result a rank ever sent.
void ReleaseCompletedSends() {
  std::erase_if(pending_sends, [](PendingSend& send) {
    int done = 0;
    MPI_Test(&send.request, &done, MPI_STATUS_IGNORE);
    return done != 0;
  });
}

// One message a result, in replication order: MPI keeps messages from
// one sender on one tag in order, and no message nears the 2 GiB an int
// count can describe, whatever the number of replications.
void SendToLead(const std::vector<ReplicationResult>& results) {
  ReleaseCompletedSends();
  for (const ReplicationResult& result : results) {
    PendingSend& send = pending_sends.emplace_back();
    EncodeResult(result, &send.bytes);
    if (send.bytes.size() > std::size_t(std::numeric_limits<int>::max())) {
      AbortJob("a replication result is too large to send");
    }
    MPI_Isend(send.bytes.data(), int(send.bytes.size()), MPI_BYTE, 0,
              kResultTag, MPI_COMM_WORLD, &send.request);
  }
}

ReplicationResult ReceiveResult(std::uint32_t replication, int source) {
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
                                            std::uint32_t count,
                                            std::uint64_t first_pair) {
  std::vector<ReplicationResult> results(count);
  for (ReplicationResult& result : own) {
    const std::uint32_t replication = result.replication;
    results[replication] = std::move(result);
  }
  for (std::uint32_t r = 0; r < count; ++r) {
    const int owner = OwnerOf(first_pair, r);
    if (owner != 0) results[r] = ReceiveResult(r, owner);
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
  if (!mpi_started) return;
  CompletePendingSends();
  MPI_Finalize();
  mpi_started = false;
}

int MpiRank() { return world_rank; }
int MpiSize() { return world_size; }

std::uint32_t ReplicationsOnThisRank(std::uint32_t replications,
                                     std::uint64_t first_pair) {
  return std::uint32_t(OwnReplications(replications, first_pair).size());
}

std::vector<ReplicationResult> RunReplicationsOnRanks(const SimConfig& config,
                                                      const Tenant& tenant,
                                                      std::uint64_t first_pair,
                                                      ProgressFn progress) {
  if (world_size == 1) {
    return RunReplications(config, tenant, config.run.threads,
                           std::move(progress));
  }
  std::vector<ReplicationResult> own =
      RunOwnShare(config, tenant, first_pair, std::move(progress));
  if (world_rank != 0) {
    SendToLead(own);
    return {};
  }
  return GatherOnLead(std::move(own), config.run.replications, first_pair);
}

// Point to point rather than MPI_Reduce: a reduction can hold a rank
// until its partners in the reduction tree reach the same point, and a
// rank must not wait for others before it runs its next point's share.
std::uint64_t MaxOverRanks(std::uint64_t value) {
  if (world_size == 1) return value;
  if (world_rank != 0) {
    PendingSend& send = pending_sends.emplace_back();
    send.bytes.resize(sizeof value);
    std::memcpy(send.bytes.data(), &value, sizeof value);
    MPI_Isend(send.bytes.data(), int(sizeof value), MPI_BYTE, 0, kMaxTag,
              MPI_COMM_WORLD, &send.request);
    return value;
  }
  std::uint64_t max = value;
  for (int source = 1; source < world_size; ++source) {
    std::uint64_t other = 0;
    MPI_Recv(&other, int(sizeof other), MPI_BYTE, source, kMaxTag,
             MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    max = std::max(max, other);
  }
  return max;
}

}  // namespace callshare::cli
