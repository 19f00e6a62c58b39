// The call lifecycle of one replication.
//
// Design notes
// ------------
// Events. Four kinds of event move a replication: arrivals, wake-ups of
// ringing calls, hang-ups and admin events. Only wake-ups and admin events
// go through the queue, as (time, 64-bit payload) with the kind in the top
// two bits:
//
//   kWake     a ringing call's next moment: bits 61..32 the call's slot,
//             31..0 its generation.
//   kAdmin    an admin event: bits 31..0 its index in config.events.
//
// Arrivals come from their own random stream (traffic), independent of
// everything the calls draw (people), so the next few arrivals are drawn
// ahead into a small ring and their tenant records prefetched while
// earlier calls are handled; an arrival is taken when it is earlier than
// the queue's top (ties go to the queue). The arrival sequence, and so
// every result, does not depend on how far ahead it is drawn.
//
// Hang-ups are lazy. A person who answers gets busy_until_ = the hang-up
// time and the kOnCall bit; the bit is cleared when somebody next looks at
// that person (before routing for the callee, members and delegates; at a
// leg's start and answer for its person). A talking call therefore costs
// no queue entry at all, and the queue holds only ringing calls: with
// hang-ups in a 4-ary heap, 262,000 talking calls of the 32,768-group
// benchmark made every pop walk ~9 cache-missing levels. A hang-up still
// counts as one processed event, when it is scheduled, so that events
// mean what they mean to a textbook simulator (arrivals, departures,
// timers).
//
// A ringing call has exactly one pending wake-up: the earliest of its next
// leg start, its earliest drawn answer, its plan's ending and the caller's
// patience. Answer decisions are drawn when a leg starts, so nothing else
// ever needs to wake the call, and a leg that loses costs no event. Slots
// are reused, so a wake-up carries the slot's generation and a stale one
// is dropped when it pops (none is expected: the check is a guard).
//
// A call leaves its slot the moment it is answered or ends; a talking call
// is nothing but its hang-up event, which names the person to free. The
// slab therefore holds only ringing calls: a few thousand at tenant scale,
// none at all between events when members answer at once.
//
// People. state_ is the PresenceState byte array the router reads, so
// routing sees who is on a call without any copy. It and busy_until_ are
// HugeVectors: at 32,768 groups of 10 that bought 1.07-1.42x events/s.
#include "callshare/sim/simulator.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <numeric>
#include <optional>
#include <thread>

#include "callshare/rng/distributions.h"
#include "callshare/routing/router.h"
#include "callshare/sim/admin_events.h"
#include "callshare/sim/event_queue.h"
#include "callshare/sim/replay.h"
#include "callshare/tenant/huge_page_allocator.h"
#include "presence_model.h"
#include "tick_clock.h"

namespace callshare {
namespace {

constexpr SimTime kNever = std::numeric_limits<SimTime>::max();

// Aborts with the broken invariant and where it was checked. A macro,
// not std::source_location, because clang 14 with libstdc++ 12 (the fuzz
// preset) has no std::source_location.
[[noreturn]] void CheckFailed(const char* file, int line, const char* what) {
  std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, what);
  std::abort();
}
#define CALLSHARE_CHECK(condition, what) \
  ((condition) ? void() : CheckFailed(__FILE__, __LINE__, what))

enum class EventKind : std::uint64_t {
  kWake = 1,
  kAdmin = 3,
};
constexpr int kKindShift = 62;
constexpr std::uint64_t kDataMask = (std::uint64_t{1} << kKindShift) - 1;

constexpr std::uint64_t Payload(EventKind kind, std::uint64_t data) {
  return (static_cast<std::uint64_t>(kind) << kKindShift) | data;
}
constexpr EventKind KindOf(std::uint64_t payload) {
  return static_cast<EventKind>(payload >> kKindShift);
}

// Rounds seconds to the queue's microseconds, saturating at
// kLatestSeconds: a draw from a wide lognormal, or a mean or factor far
// past any real call, would not fit the integer clock, and a time that
// late still leaves room to add two of them without overflow.
SimTime ToMicros(double seconds) {
  constexpr double kLatestSeconds = 1e12;  // about 31,700 years
  if (!(seconds < kLatestSeconds)) seconds = kLatestSeconds;
  return static_cast<SimTime>(seconds * double(kMicrosPerSecond) + 0.5);
}

// A ringing call. The router writes the plan straight into the slot, so a
// call costs no copy of its legs; answer_at[i] is when leg i's person
// answers (kNever: not started, or will not answer).
struct Call {
  SimTime arrival = 0;
  SimTime patience_at = kNever;  // the caller hangs up
  SimTime ending_at = kNever;    // the plan's ending applies
  std::uint64_t unstarted = 0;   // bit i: leg i has not started yet
  std::uint32_t generation = 0;
  UserId caller = kNoUser;  // the internal caller, when one is a person
  std::uint16_t slice = 0;  // timeline slice of the arrival
  bool measured = false;    // arrived after the warm-up
  std::array<SimTime, kMaxRingLegs> answer_at;
  RingPlan plan;
};
static_assert(kMaxRingLegs <= 64, "unstarted legs are one 64-bit mask");
static_assert(PresenceState::kOnCall == 1 << 7, "Refresh shifts by 7");

Outcome AnswerOutcome(LegRole role) {
  switch (role) {
    case LegRole::kOwner:
      return Outcome::kAnsweredByOwner;
    case LegRole::kMember:
      return Outcome::kPickedUpByMember;
    case LegRole::kDelegate:
      return Outcome::kAnsweredByDelegate;
    case LegRole::kForwardTarget:
    case LegRole::kUnansweredTarget:
      return Outcome::kAnsweredByForwardTarget;
  }
  return Outcome::kAnsweredByOwner;
}

Outcome EndingOutcome(Ending ending) {
  switch (ending) {
    case Ending::kVoicemail:
      return Outcome::kVoicemail;
    case Ending::kBusySignal:
      return Outcome::kBusySignal;
    case Ending::kDisconnected:
    case Ending::kRingOut:
      return Outcome::kDisconnected;
  }
  return Outcome::kDisconnected;
}

// A piece of the arrival-rate profile: calls per second from start_s.
struct RateStep {
  double start_s;
  double per_s;
};

// A call drawn ahead from the traffic stream.
// Until resolved, request.callee holds the candidate's index and
// request.caller the raw caller draw, so that the candidate table's line
// can be prefetched before the callee is known.
struct PendingArrival {
  SimTime time = 0;
  SimTime patience = 0;
  CallRequest request;
  bool resolved = false;
};

// Below this many bytes of tables, presence and hang-up times everything
// stays in L2 and the prefetch stages are pure overhead (about 200 of
// 1,960 instructions a call at one group of 10, by callgrind).
constexpr std::size_t kPrefetchAboveBytes = 512 * 1024;

// How many arrivals are drawn ahead: four prefetch stages a few calls
// apart, each far more than a memory latency ahead of its use.
constexpr std::size_t kLookahead = 16;
static_assert((kLookahead & (kLookahead - 1)) == 0, "a ring indexed by mask");

// The state of one replication and its event loop.
class Replication {
 public:
  Replication(const SimConfig& config, const Tenant& tenant,
              std::uint32_t replication, const SimulatorOptions& options,
              ProgressFn* progress);

  // Runs the replication to its end and returns what it measured.
  ReplicationResult Run();

 private:
  // Set-up.
  void InitResult();
  void InitTraffic();
  void ScheduleAdminEvents();

  // Traffic, drawn ahead.
  void FillLookahead();
  bool DrawArrival(PendingArrival* arrival);
  double NextArrivalTime();
  CallRequest DrawCall();
  void Resolve(PendingArrival* arrival);
  void Prefetch(UserId callee) const;
  void PrefetchGroup(UserId callee) const;
  void PrefetchMembers(UserId callee) const;
  void RunPrefetchStages();
  void TakeArrival();

  // Events.
  void Dispatch(const Event& event);
  void OnArrival(const PendingArrival& arrival);
  void OnWake(std::uint64_t data, SimTime now);
  void OnAdmin(std::uint64_t index);

  // People.
  void Refresh(UserId person, SimTime now);
  void RefreshPeople(UserId callee, SimTime now);

  // Calls.
  std::uint32_t AcquireCall();
  void ReleaseCall(std::uint32_t slot);
  void RouteInto(const CallRequest& request, Call* call);
  void CountPlanFlags(const Call& call, UserId callee);
  std::uint64_t CountIneligibleLegs(UserId callee) const;
  void Play(std::uint32_t slot, SimTime now);
  SimTime StartDueLegs(Call* call, SimTime now);
  void NotifyRest(const Call& call, std::uint64_t legs, SimTime now);
  SimTime DecideAnswer(const RingLeg& leg, SimTime start, bool measured);
  bool CanAnswer(const RingLeg& leg, SimTime now);
  void Answer(std::uint32_t slot, std::size_t leg, SimTime now);
  void HoldUntil(UserId person, SimTime hang_up);
  void End(std::uint32_t slot, Outcome outcome);
  void Record(const Call& call, Outcome outcome);
  double HoldingSeconds(std::uint32_t slot);

  // Tracing, only when options_.trace is set.
  void TraceArrival(std::uint32_t slot, const CallRequest& request);
  void TraceLegStart(const Call& call, std::size_t leg);
  void TraceEnd(std::uint32_t slot, Outcome outcome, std::int32_t answered,
                SimTime now);

  // Wrap-up.
  void MaybeReportProgress(SimTime now, bool last);
  void Finish(std::chrono::steady_clock::time_point wall_start);

  const SimConfig& config_;
  const SimulatorOptions& options_;
  const bool time_routes_;  // measuring, with a sample period above 0
  const std::uint64_t latency_sample_mask_;  // period - 1, a power of two
  ProgressFn* progress_;
  std::optional<Tenant> own_tenant_;  // only when admin events change it
  const Tenant* tenant_;
  Xoshiro256pp traffic_rng_;        // arrivals, callees, callers, patience
  Xoshiro256pp rng_;                // everything people and admins decide
  HugeVector<std::uint8_t> state_;  // PresenceState bytes, one a person
  HugeVector<SimTime> busy_until_;  // hang-up time while kOnCall is set
  PresenceModel presence_;
  Router router_;
  EventQueue queue_;

  // Traffic.
  std::vector<RateStep> rates_;
  std::size_t rate_index_ = 0;
  double arrival_clock_s_ = 0;
  bool arrivals_done_ = false;
  std::array<PendingArrival, kLookahead> lookahead_;
  std::size_t lookahead_head_ = 0;  // the next arrival
  std::size_t lookahead_size_ = 0;
  std::vector<UserId> owners_;  // callee candidates; empty: every user
  std::uint64_t candidate_count_ = 0;
  std::optional<AliasTable> zipf_;
  double pstn_share_;
  SimTime duration_us_;
  SimTime warmup_us_;
  double slices_per_us_;
  bool prefetch_;  // the tables outgrow the caches
  // Arrivals come from this log when set.
  const CallLog* replay_;
  std::size_t replay_next_ = 0;

  // Calls.
  std::vector<Call> calls_;
  std::vector<std::uint32_t> free_calls_;
  std::uint64_t ringing_ = 0;
  std::uint64_t arrived_ = 0;
  std::uint64_t events_ = 0;
  // Arrival number of the call in each slot; kept only when tracing or
  // replaying, which look the call up by it.
  std::vector<std::uint64_t> call_ids_;
  CallTrace* trace_;

  // Measures.
  ReplicationResult result_;
  LatencyRecorder latency_;
  std::uint64_t routes_ = 0;  // routes so far, for latency sampling
  std::chrono::steady_clock::time_point last_progress_;
};

// Whether any event of the run would change the tenant (they all do).
bool ChangesTenant(const SimConfig& config) { return !config.events.empty(); }

// The people's stream: the replication's stream long-jumped, which puts it
// past every replication's traffic stream, so the two never overlap.
Xoshiro256pp PeopleStream(std::uint64_t seed, std::uint32_t replication) {
  Xoshiro256pp rng = ReplicationStream(seed, replication);
  rng.LongJump();
  return rng;
}

Replication::Replication(const SimConfig& config, const Tenant& tenant,
                         std::uint32_t replication,
                         const SimulatorOptions& options, ProgressFn* progress)
    : config_(config),
      options_(options),
      time_routes_(options.measure_routing_latency &&
                   config.run.latency_sample_period != 0),
      latency_sample_mask_(
          std::bit_ceil(std::max(1u, config.run.latency_sample_period)) - 1),
      progress_(progress),
      own_tenant_(ChangesTenant(config) ? std::optional<Tenant>(tenant)
                                        : std::nullopt),
      tenant_(own_tenant_ ? &*own_tenant_ : &tenant),
      traffic_rng_(ReplicationStream(config.run.seed, replication)),
      rng_(PeopleStream(config.run.seed, replication)),
      state_(tenant.user_count()),
      busy_until_(tenant.user_count(), 0),
      presence_(config.behaviour.presence, state_, rng_),
      router_(*tenant_, RouterOptionsOf(config), state_),
      pstn_share_(config.traffic.pstn_share),
      duration_us_(ToMicros(config.run.duration_s)),
      warmup_us_(ToMicros(config.run.warmup_s)),
      slices_per_us_(double(std::max(1u, options.timeline_slices)) /
                     double(std::max<SimTime>(1, duration_us_))),
      prefetch_(tenant.routing_bytes() + 9 * tenant.user_count() >
                kPrefetchAboveBytes),
      replay_(config.traffic.replay_log.get()),
      trace_(options.trace) {
  result_.replication = replication;
  InitResult();
  InitTraffic();
  calls_.reserve(256);
  free_calls_.reserve(256);
}

void Replication::InitResult() {
  const std::uint32_t slices = std::max(1u, options_.timeline_slices);
  result_.timeline.resize(slices);
  for (std::uint32_t k = 0; k < slices; ++k) {
    result_.timeline[k].start_s = config_.run.duration_s * k / slices;
  }
  std::uint64_t members = 0;
  for (UserId user = 0; user < tenant_->user_count(); ++user) {
    members += tenant_->memberships(user).empty() ? 0 : 1;
  }
  const double hours =
      std::max(0.0, config_.run.duration_s - config_.run.warmup_s) / 3600.0;
  result_.member_hours = double(members) * hours;
}

void Replication::InitTraffic() {
  const TrafficConfig& traffic = config_.traffic;
  if (traffic.profile.empty()) {
    rates_.push_back({0.0, traffic.calls_per_hour / 3600.0});
  }
  for (const RateInterval& interval : traffic.profile) {
    rates_.push_back({interval.start_s, interval.calls_per_hour / 3600.0});
  }
  if (replay_ != nullptr) return;  // callees come from the log
  if (traffic.callees == CalleeSet::kGroupOwners) {
    for (GroupId group = 0; group < tenant_->group_count(); ++group) {
      owners_.push_back(tenant_->group_owner(group));
    }
    candidate_count_ = owners_.size();
  } else {
    candidate_count_ = tenant_->user_count();
  }
  const bool any_traffic =
      std::any_of(rates_.begin(), rates_.end(),
                  [](const RateStep& step) { return step.per_s > 0; });
  CALLSHARE_CHECK(candidate_count_ > 0 || !any_traffic,
                  "the scenario offers calls but has no callee to call");
  if (candidate_count_ == 0) rates_.assign(1, {0.0, 0.0});
  if (traffic.callee_choice == CalleeChoice::kZipf && candidate_count_ > 0) {
    zipf_.emplace(
        ZipfWeights(std::uint32_t(candidate_count_), traffic.zipf_exponent));
  }
}

void Replication::ScheduleAdminEvents() {
  for (std::size_t i = 0; i < config_.events.size(); ++i) {
    queue_.Push(ToMicros(config_.events[i].at_s),
                Payload(EventKind::kAdmin, i));
  }
}

// Tops the ring of drawn-ahead arrivals up to kLookahead.
void Replication::FillLookahead() {
  while (lookahead_size_ < kLookahead && !arrivals_done_) {
    PendingArrival& slot =
        lookahead_[(lookahead_head_ + lookahead_size_) & (kLookahead - 1)];
    if (!DrawArrival(&slot)) return;
    if (owners_.empty()) {
      Resolve(&slot);
    } else {
      __builtin_prefetch(&owners_[slot.request.callee]);
    }
    ++lookahead_size_;
  }
}

bool Replication::DrawArrival(PendingArrival* arrival) {
  if (replay_ != nullptr) {
    arrivals_done_ =
        replay_next_ == replay_->calls.size() ||
        replay_->calls[replay_next_].at_s >= config_.run.duration_s;
    if (arrivals_done_) return false;
    const ReplayedCall& logged = replay_->calls[replay_next_++];
    arrival->time = ToMicros(logged.at_s);
    arrival->request = {logged.callee, logged.caller, logged.pstn};
    arrival->resolved = true;
    arrival->patience =
        ToMicros(Sample(config_.traffic.patience, traffic_rng_));
    return true;
  }
  const double time_s = NextArrivalTime();
  if (arrivals_done_) return false;
  arrival->time = ToMicros(time_s);
  arrival->request = DrawCall();
  arrival->resolved = false;
  arrival->patience = ToMicros(Sample(config_.traffic.patience, traffic_rng_));
  return true;
}

// The next Poisson arrival of the piecewise-constant rate. The process is
// memoryless, so crossing into a new interval restarts the draw from the
// interval's start at the new rate. Sets arrivals_done_ past the duration.
double Replication::NextArrivalTime() {
  const double duration_s = config_.run.duration_s;
  double t = arrival_clock_s_;
  while (t < duration_s) {
    while (rate_index_ + 1 < rates_.size() &&
           rates_[rate_index_ + 1].start_s <= t) {
      ++rate_index_;
    }
    const double end =
        rate_index_ + 1 < rates_.size()
            ? std::min(rates_[rate_index_ + 1].start_s, duration_s)
            : duration_s;
    const double rate = rates_[rate_index_].per_s;
    if (rate > 0) {
      const double next = t + Exponential(traffic_rng_, 1.0 / rate);
      if (next < end) return arrival_clock_s_ = next;
    }
    t = end;
  }
  arrivals_done_ = true;
  return duration_s;
}

CallRequest Replication::DrawCall() {
  CallRequest request;
  const auto index = static_cast<std::uint32_t>(
      zipf_ ? zipf_->Sample(traffic_rng_)
            : UniformBelow(traffic_rng_, candidate_count_));
  request.callee = index;
  // Certain shares skip their draw: the validation scenarios are all-PSTN.
  request.pstn = pstn_share_ >= 1.0 ||
                 (pstn_share_ > 0.0 && Bernoulli(traffic_rng_, pstn_share_));
  const std::uint32_t users = tenant_->user_count();
  if (!request.pstn && users > 1) {
    request.caller = static_cast<UserId>(UniformBelow(traffic_rng_, users - 1));
  }
  return request;
}

// Turns the candidate index into the callee and the raw draw into a
// caller other than the callee, then prefetches the callee's record.
void Replication::Resolve(PendingArrival* arrival) {
  if (arrival->resolved) return;
  CallRequest& request = arrival->request;
  if (!owners_.empty()) request.callee = owners_[request.callee];
  if (request.caller != kNoUser && request.caller >= request.callee) {
    ++request.caller;
  }
  arrival->resolved = true;
  Prefetch(request.callee);
}

// Prefetching runs in four stages over the lookahead ring, each reading
// only lines the stage before brought in: the candidate table when the
// call is drawn, the callee's record 8 calls ahead, its member lists 4
// ahead, its members' presence and hang-up times 2 ahead. Resolving the
// callee from the candidate table at the draw stalled on that line for
// 21% of the draw's time at 32,768 groups.
void Replication::Prefetch(UserId callee) const {
  __builtin_prefetch(&tenant_->user(callee));
  __builtin_prefetch(&state_[callee]);
}

void Replication::PrefetchGroup(UserId callee) const {
  const GroupId group = tenant_->user(callee).group;
  if (group == kNoGroup) return;
  __builtin_prefetch(tenant_->members(group).data());
  __builtin_prefetch(tenant_->member_notifications(group).data());
}

void Replication::PrefetchMembers(UserId callee) const {
  const GroupId group = tenant_->user(callee).group;
  if (group == kNoGroup) return;
  const std::uint8_t* last_line = nullptr;
  for (UserId member : tenant_->members(group)) {
    // Members are often neighbours: one prefetch a line is enough.
    const std::uint8_t* line = &state_[member] - (member & 63);
    if (line != last_line) {
      __builtin_prefetch(&state_[member]);
      __builtin_prefetch(&busy_until_[member]);
      last_line = line;
    }
    // The tenant gives traits by value only, so they are loaded rather
    // than prefetched; the load is independent of everything after it and
    // retires long before the route needs the line. Measured on 32,768
    // groups: the router's traits read was 78% of its time without it.
    const std::uint8_t traits = tenant_->traits(member);
    asm volatile("" : : "r"(traits));
  }
}

// Moves the prefetch stages along the ring, nearest last.
void Replication::RunPrefetchStages() {
  auto at = [&](std::size_t ahead) -> PendingArrival& {
    return lookahead_[(lookahead_head_ + ahead) & (kLookahead - 1)];
  };
  if (lookahead_size_ > 8) Resolve(&at(8));
  if (lookahead_size_ > 4) {
    Resolve(&at(4));
    PrefetchGroup(at(4).request.callee);
  }
  if (lookahead_size_ > 2) {
    Resolve(&at(2));
    PrefetchMembers(at(2).request.callee);
  }
}

// Handles the next drawn arrival and draws another.
void Replication::TakeArrival() {
  if (prefetch_) RunPrefetchStages();
  PendingArrival& arrival = lookahead_[lookahead_head_];
  Resolve(&arrival);
  OnArrival(arrival);
  lookahead_head_ = (lookahead_head_ + 1) & (kLookahead - 1);
  --lookahead_size_;
  FillLookahead();
}

void Replication::Dispatch(const Event& event) {
  const std::uint64_t data = event.payload & kDataMask;
  if (KindOf(event.payload) == EventKind::kWake) {
    OnWake(data, event.time);
  } else {
    OnAdmin(data);
  }
}

void Replication::OnArrival(const PendingArrival& arrival) {
  const SimTime now = arrival.time;
  ++arrived_;
  RefreshPeople(arrival.request.callee, now);

  // Route into a fresh slot and set the call's clocks.
  const std::uint32_t slot = AcquireCall();
  Call& call = calls_[slot];
  RouteInto(arrival.request, &call);
  call.arrival = now;
  call.caller =
      config_.behaviour.internal_caller_busy ? arrival.request.caller : kNoUser;
  call.measured = now >= warmup_us_;
  // A multiply, not a 64-bit division: 5% of a call at one group.
  call.slice = static_cast<std::uint16_t>(
      std::min(result_.timeline.size() - 1,
               static_cast<std::size_t>(double(now) * slices_per_us_)));
  call.patience_at = now + arrival.patience;
  call.ending_at = call.plan.ending == Ending::kRingOut
                       ? kNever
                       : now + SimTime(call.plan.ending_ms) * 1000;
  const std::size_t legs = call.plan.legs.size();
  call.unstarted =
      legs == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << legs) - 1;
  std::fill_n(call.answer_at.begin(), legs, kNever);
  if (call.measured) {
    ++result_.offered;
    CountPlanFlags(call, arrival.request.callee);
  }
  if (trace_ != nullptr || replay_ != nullptr) {
    if (call_ids_.size() <= slot) call_ids_.resize(calls_.size());
    call_ids_[slot] = arrived_ - 1;
  }
  if (trace_ != nullptr) TraceArrival(slot, arrival.request);
  Play(slot, now);
}

void Replication::OnWake(std::uint64_t data, SimTime now) {
  const auto slot = static_cast<std::uint32_t>(data >> 32);
  const auto generation = static_cast<std::uint32_t>(data);
  if (calls_[slot].generation != generation) return;  // lazily cancelled
  Play(slot, now);
}

void Replication::OnAdmin(std::uint64_t index) {
  result_.admin_events.push_back(ApplyAdminEvent(
      config_.events[index], &*own_tenant_, rng_, &result_.limit_rejections));
}

// Applies a due hang-up and brings Markov presence up to `now`.
void Replication::Refresh(UserId person, SimTime now) {
  presence_.Advance(person, now, rng_);
  // Branch-free: whether a member is on a call is a coin flip to the
  // branch predictor. busy_until_ only grows and the bit is clear when no
  // call is on, so clearing it when the time has passed is always right.
  const auto due = static_cast<std::uint8_t>(busy_until_[person] <= now);
  state_[person] &= static_cast<std::uint8_t>(~(due << 7));
}

// Refreshes everyone whose presence byte the router may read: the callee
// and the callee's members and delegates. Forward and unanswered targets
// are rung without a presence check, so Markov presence alone is brought
// up to date for them.
void Replication::RefreshPeople(UserId callee, SimTime now) {
  Refresh(callee, now);
  const UserRecord& record = tenant_->user(callee);
  if (record.group != kNoGroup) {
    for (UserId member : tenant_->members(record.group)) {
      Refresh(member, now);
    }
  }
  if (record.delegate_count != 0) {
    for (UserId delegate : tenant_->delegates(callee)) {
      Refresh(delegate, now);
    }
  }
  if (config_.behaviour.presence.mode != PresenceMode::kMarkov) return;
  for (TargetRef target :
       {record.forwarding_target, record.unanswered_target}) {
    if (target != kNoTarget && !IsPhone(target)) {
      presence_.Advance(target, now, rng_);
    }
  }
}

std::uint32_t Replication::AcquireCall() {
  ++ringing_;
  if (!free_calls_.empty()) {
    const std::uint32_t slot = free_calls_.back();
    free_calls_.pop_back();
    return slot;
  }
  // Grows only until the slab covers the most calls ever ringing at once.
  calls_.emplace_back();
  return static_cast<std::uint32_t>(calls_.size() - 1);
}

void Replication::ReleaseCall(std::uint32_t slot) {
  --ringing_;
  ++calls_[slot].generation;
  free_calls_.push_back(slot);
}

void Replication::RouteInto(const CallRequest& request, Call* call) {
  const bool timed = time_routes_ && (routes_++ & latency_sample_mask_) == 0;
  if (!timed) {
    router_.Route(request, &call->plan);
    return;
  }
  const std::uint64_t start = ReadTicks();
  router_.Route(request, &call->plan);
  latency_.Record(ReadTicks() - start);
}

void Replication::CountPlanFlags(const Call& call, UserId callee) {
  TimeSlice& slice = result_.timeline[call.slice];
  if (call.plan.has(kStaleRouted)) {
    ++result_.stale_routed;
    ++slice.stale_routed;
  }
  if (call.plan.has(kBlockedByPolicy)) {
    ++result_.blocked_by_policy;
    ++slice.blocked_by_policy;
  }
  if (call.plan.has(kIneligibleLegSkipped)) {
    result_.ineligible_legs += CountIneligibleLegs(callee);
  }
}

// The plan only flags that someone was skipped; the count is rebuilt from
// the callee's group and delegates (all of them when the callee itself is
// ineligible and so shares nothing), and is at least one.
std::uint64_t Replication::CountIneligibleLegs(UserId callee) const {
  const UserRecord& record = tenant_->user(callee);
  const bool callee_eligible = record.eligible();
  std::uint64_t count = 0;
  auto tally = [&](UserId person) {
    count += !callee_eligible || !Traits::Eligible(tenant_->traits(person));
  };
  if (record.group != kNoGroup) {
    for (UserId member : tenant_->members(record.group)) tally(member);
  }
  for (UserId delegate : tenant_->delegates(callee)) tally(delegate);
  return std::max<std::uint64_t>(count, 1);
}

// Plays a ringing call forward to `now` and either ends it or schedules
// its next wake-up. Ties at one instant resolve as: legs start, then the
// earliest answer (first in plan order), then the plan's ending, then the
// caller's patience.
void Replication::Play(std::uint32_t slot, SimTime now) {
  Call& call = calls_[slot];
  for (;;) {
    const SimTime next_start = StartDueLegs(&call, now);

    // The earliest answer; a person who went on another call meanwhile
    // drops out and the next one is considered.
    std::size_t leg = 0;
    SimTime answer = kNever;
    for (std::size_t i = 0; i < call.plan.legs.size(); ++i) {
      if (call.answer_at[i] < answer) {
        answer = call.answer_at[i];
        leg = i;
      }
    }
    if (answer <= now) {
      if (CanAnswer(call.plan.legs[leg], now)) return Answer(slot, leg, now);
      call.answer_at[leg] = kNever;
      if (trace_ != nullptr) {
        trace_->calls[call_ids_[slot]].legs[leg].fate = LegFate::kSkippedBusy;
      }
      continue;
    }

    // The plan's ending or the caller's patience, whichever comes first.
    const SimTime end = std::min(call.ending_at, call.patience_at);
    if (end <= now) {
      return End(slot, call.ending_at <= call.patience_at
                           ? EndingOutcome(call.plan.ending)
                           : Outcome::kAbandoned);
    }
    const SimTime wake = std::min({next_start, answer, end});
    queue_.Push(wake, Payload(EventKind::kWake,
                              (std::uint64_t{slot} << 32) | call.generation));
    return;
  }
}

// Starts every leg due by `now`, drawing its answer; returns the earliest
// start still to come.
SimTime Replication::StartDueLegs(Call* call, SimTime now) {
  SimTime next = kNever;
  for (std::uint64_t bits = call->unstarted; bits != 0; bits &= bits - 1) {
    const int i = std::countr_zero(bits);
    const RingLeg& leg = call->plan.legs[std::size_t(i)];
    const SimTime start = call->arrival + SimTime(leg.start_ms) * 1000;
    if (start > now) {
      next = std::min(next, start);
      continue;
    }
    call->unstarted &= ~(std::uint64_t{1} << i);
    call->answer_at[std::size_t(i)] = DecideAnswer(leg, start, call->measured);
    if (trace_ != nullptr) TraceLegStart(*call, std::size_t(i));
    // An answer this instant wins against every leg after it in the plan,
    // so those are only counted as notified: at one group where members
    // answer at once this saves nine answer decisions a call.
    if (call->answer_at[std::size_t(i)] == now) {
      NotifyRest(*call, bits & (bits - 1), now);
      return next;
    }
  }
  return next;
}

// Counts the notifications of the member legs in `legs` that start by
// `now`, without deciding their answers.
void Replication::NotifyRest(const Call& call, std::uint64_t legs,
                             SimTime now) {
  if (!call.measured) return;
  for (; legs != 0; legs &= legs - 1) {
    const RingLeg& leg = call.plan.legs[std::size_t(std::countr_zero(legs))];
    const SimTime start = call.arrival + SimTime(leg.start_ms) * 1000;
    // Legs starting with the route were just filtered by the router with
    // fresh presence; later ones are checked again.
    if (leg.role == LegRole::kMember && start <= now &&
        (start == call.arrival || CanAnswer(leg, start))) {
      ++result_.notifications_by_kind[std::size_t(leg.notification)];
    }
  }
}

bool Replication::CanAnswer(const RingLeg& leg, SimTime now) {
  if (IsPhone(leg.target)) return true;
  Refresh(leg.target, now);
  if (!PresenceState::OnCall(state_[leg.target])) return true;
  return leg.role == LegRole::kMember &&
         config_.behaviour.members_answer_while_on_call;
}

// Whether and when the leg's person answers: probability by notification
// (the owner has their own) times the presence factor, then a delay times
// the presence's delay factor that must fall inside the leg's ring time.
// Numbers answer as available people notified with kRing.
SimTime Replication::DecideAnswer(const RingLeg& leg, SimTime start,
                                  bool measured) {
  const BehaviourConfig& behaviour = config_.behaviour;
  const AnswerModel* model =
      &behaviour.answer[std::size_t(Notification::kRing)];
  std::size_t presence = 0;  // available
  if (!IsPhone(leg.target)) {
    if (!CanAnswer(leg, start)) return kNever;
    presence = state_[leg.target] & PresenceState::kPresenceMask;
  }
  const double factor = behaviour.presence_factor[presence];
  double probability = model->probability;
  const DurationDistribution* delay = &model->delay;
  if (leg.role == LegRole::kOwner) {
    if (!behaviour.owner_answers) return kNever;
    probability = behaviour.owner_answer_probability;
    delay = &behaviour.owner_answer_delay;
  } else if (leg.role == LegRole::kMember) {
    model = &behaviour.answer[std::size_t(leg.notification)];
    probability = model->probability;
    delay = &model->delay;
    if (measured)
      ++result_.notifications_by_kind[std::size_t(leg.notification)];
  }
  probability *= factor;
  // Certain answers skip their draw, as in the Erlang validation.
  if (probability < 1.0 &&
      !(probability > 0.0 && Bernoulli(rng_, probability))) {
    return kNever;
  }
  const SimTime after = ToMicros(Sample(*delay, rng_) *
                                 behaviour.presence_delay_factor[presence]);
  if (after >= SimTime(leg.ring_ms) * 1000) return kNever;
  return start + after;
}

void Replication::Answer(std::uint32_t slot, std::size_t leg_index,
                         SimTime now) {
  const Call& call = calls_[slot];
  const RingLeg& leg = call.plan.legs[leg_index];
  const bool person_answers = !IsPhone(leg.target);
  // call.caller is set only when callers are people (and the call is
  // internal); a number answering then holds the caller alone.
  if (person_answers || call.caller != kNoUser) {
    const SimTime hang_up = now + ToMicros(HoldingSeconds(slot));
    if (person_answers) HoldUntil(leg.target, hang_up);
    if (call.caller != kNoUser) HoldUntil(call.caller, hang_up);
    ++events_;  // the hang-up, applied lazily
  }
  if (call.measured) {
    Record(call, AnswerOutcome(leg.role));
    result_.time_to_answer(double(now - call.arrival) /
                           double(kMicrosPerSecond));
    if (leg.role == LegRole::kMember) {
      ++result_.pickups_by_notification[std::size_t(leg.notification)];
    }
  }
  if (trace_ != nullptr) {
    TraceEnd(slot, AnswerOutcome(leg.role), std::int32_t(leg_index), now);
  }
  ReleaseCall(slot);
}

// Puts `person` on a call until `hang_up`; a person already on one stays
// on it until the later end.
void Replication::HoldUntil(UserId person, SimTime hang_up) {
  SimTime& busy_until = busy_until_[person];
  busy_until = (state_[person] & PresenceState::kOnCall) != 0
                   ? std::max(busy_until, hang_up)
                   : hang_up;
  state_[person] |= PresenceState::kOnCall;
}

void Replication::End(std::uint32_t slot, Outcome outcome) {
  if (calls_[slot].measured) Record(calls_[slot], outcome);
  if (trace_ != nullptr) TraceEnd(slot, outcome, -1, calls_[slot].arrival);
  ReleaseCall(slot);
}

// A logged call holds its person for the logged duration; a drawn one
// draws it.
double Replication::HoldingSeconds(std::uint32_t slot) {
  if (replay_ != nullptr) return replay_->calls[call_ids_[slot]].duration_s;
  return Sample(config_.traffic.holding, rng_);
}

void Replication::TraceArrival(std::uint32_t slot, const CallRequest& request) {
  const Call& call = calls_[slot];
  TracedCall& traced = trace_->calls.emplace_back();
  traced.arrival_s = double(call.arrival) / double(kMicrosPerSecond);
  traced.callee = request.callee;
  traced.caller = request.caller;
  traced.pstn = request.pstn;
  traced.plan_flags = call.plan.flags;
  for (const RingLeg& leg : call.plan.legs) {
    traced.legs.push_back({leg, LegFate::kPending});
  }
}

// A leg whose person will not answer is settled at its start: busy when
// its person is on a call it may not interrupt, declined otherwise.
void Replication::TraceLegStart(const Call& call, std::size_t leg) {
  if (call.answer_at[leg] != kNever) return;
  const auto slot = static_cast<std::size_t>(&call - calls_.data());
  const RingLeg& planned = call.plan.legs[leg];
  const bool busy = !IsPhone(planned.target) &&
                    PresenceState::OnCall(state_[planned.target]) &&
                    !(planned.role == LegRole::kMember &&
                      config_.behaviour.members_answer_while_on_call);
  trace_->calls[call_ids_[slot]].legs[leg].fate =
      busy ? LegFate::kSkippedBusy : LegFate::kDeclined;
}

// Settles every leg still open when the call is answered or ends. Legs due
// by the answer but never decided (an answer at once stops them) rang.
void Replication::TraceEnd(std::uint32_t slot, Outcome outcome,
                           std::int32_t answered, SimTime now) {
  const Call& call = calls_[slot];
  TracedCall& traced = trace_->calls[call_ids_[slot]];
  traced.outcome = outcome;
  traced.answered_leg = answered;
  if (answered >= 0) {
    traced.time_to_answer_s =
        double(now - call.arrival) / double(kMicrosPerSecond);
    traced.legs[std::size_t(answered)].fate = LegFate::kAnswered;
  }
  for (std::size_t i = 0; i < traced.legs.size(); ++i) {
    TracedLeg& leg = traced.legs[i];
    if (leg.fate != LegFate::kPending) continue;
    const bool started =
        (call.unstarted >> i & 1) == 0 ||
        (answered >= 0 &&
         call.arrival + SimTime(leg.leg.start_ms) * 1000 <= now);
    leg.fate = started ? LegFate::kStopped : LegFate::kNotReached;
  }
}

void Replication::Record(const Call& call, Outcome outcome) {
  ++result_.outcomes[std::size_t(outcome)];
  ++result_.timeline[call.slice].outcomes[std::size_t(outcome)];
}

ReplicationResult Replication::Run() {
  if (time_routes_) CalibrateRoutingClock();  // outside the wall time
  const auto wall_start = std::chrono::steady_clock::now();
  last_progress_ = wall_start;
  ScheduleAdminEvents();
  FillLookahead();

  // Arrivals stop at the duration; the run drains every ringing call and
  // pending admin event (hang-ups are lazy and need no draining).
  SimTime now = 0;
  std::uint64_t steps = 0;
  while (lookahead_size_ != 0 || !queue_.empty()) {
    if (lookahead_size_ == 0 ||
        (!queue_.empty() &&
         queue_.TopTime() <= lookahead_[lookahead_head_].time)) {
      const Event event = queue_.Pop();
      now = event.time;
      Dispatch(event);
    } else {
      now = lookahead_[lookahead_head_].time;
      TakeArrival();
    }
    // The wall clock is read every 4096 events only: a read costs about
    // as much as an event.
    ++events_;
    if ((++steps & 4095) == 0) MaybeReportProgress(now, false);
  }
  Finish(wall_start);
  return std::move(result_);
}

void Replication::MaybeReportProgress(SimTime now, bool last) {
  if (progress_ == nullptr || !*progress_) return;
  const auto wall = std::chrono::steady_clock::now();
  if (!last && wall - last_progress_ < std::chrono::milliseconds(250)) return;
  last_progress_ = wall;
  (*progress_)(Progress{result_.replication,
                        double(now) / double(kMicrosPerSecond),
                        config_.run.duration_s, arrived_, events_});
}

void Replication::Finish(std::chrono::steady_clock::time_point wall_start) {
  std::uint64_t ended = 0;
  for (std::uint64_t count : result_.outcomes) ended += count;
  CALLSHARE_CHECK(ringing_ == 0, "a call is still ringing after the drain");
  CALLSHARE_CHECK(ended == result_.offered, "offered != sum of outcomes");
  result_.events = events_;
  result_.routing_latency_max_ns = latency_.AddTo(&result_.routing_latency_ns);
  result_.wall_s = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - wall_start)
                       .count();
  MaybeReportProgress(std::max(duration_us_, SimTime{0}), true);
}

}  // namespace

void CalibrateRoutingClock() { NanosPerTick(); }

Xoshiro256pp ReplicationStream(std::uint64_t seed, std::uint32_t replication) {
  Xoshiro256pp rng(seed);
  for (std::uint32_t r = 0; r < replication; ++r) rng.Jump();
  return rng;
}

ReplicationResult RunReplication(const SimConfig& config, const Tenant& tenant,
                                 std::uint32_t replication,
                                 const SimulatorOptions& options,
                                 ProgressFn* progress) {
  Replication run(config, tenant, replication, options, progress);
  return run.Run();
}

ReplicationResult RunReplication(const SimConfig& config, const Tenant& tenant,
                                 std::uint32_t replication,
                                 ProgressFn* progress) {
  return RunReplication(config, tenant, replication, SimulatorOptions{},
                        progress);
}

unsigned WorkerThreads(unsigned threads, std::size_t replications) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  return std::min<unsigned>(threads,
                            unsigned(std::max<std::size_t>(1, replications)));
}

std::vector<ReplicationResult> RunReplications(const SimConfig& config,
                                               const Tenant& tenant,
                                               unsigned threads,
                                               ProgressFn progress) {
  std::vector<std::uint32_t> all(config.run.replications);
  std::iota(all.begin(), all.end(), 0u);
  return RunReplications(config, tenant, all, threads, std::move(progress));
}

std::vector<ReplicationResult> RunReplications(
    const SimConfig& config, const Tenant& tenant,
    std::span<const std::uint32_t> replications, unsigned threads,
    ProgressFn progress) {
  const std::size_t count = replications.size();
  std::vector<ReplicationResult> results(count);
  threads = WorkerThreads(threads, count);

  // Workers pull slots from one counter; each result lands in its own
  // slot, so the order never depends on the threads.
  std::mutex progress_mutex;
  ProgressFn serialized;
  if (progress) {
    serialized = [&](const Progress& p) {
      std::lock_guard lock(progress_mutex);
      progress(p);
    };
  }
  std::atomic<std::size_t> next{0};
  {
    std::vector<std::jthread> workers;
    for (unsigned t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        for (std::size_t i = next++; i < count; i = next++) {
          results[i] =
              RunReplication(config, tenant, replications[i], &serialized);
        }
      });
    }
  }
  return results;
}

}  // namespace callshare
