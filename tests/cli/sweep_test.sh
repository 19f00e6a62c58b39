#!/usr/bin/env bash
# callshare sweep runs every point of the grid's cartesian product, writes
# one sweep.csv row a point in grid order, keeps each point's summary, and
# fills the erlang_b column for an Erlang loss scenario with B(c, A) for
# that point's offered load; a malformed --grid exits 2.
# Usage: sweep_test.sh CALLSHARE SOURCE_DIR
set -euo pipefail

callshare=$1
scenario="$2/scenarios/validation/erlang_c10_a5.toml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

"$callshare" sweep "$scenario" --quiet --no-report --replications 2 \
  --set run.duration_s=20000 --set run.warmup_s=0 \
  --grid traffic.calls_per_hour=240,420 \
  --grid run.router_mode=as_deployed,enforced \
  --out "$work/sweep" > /dev/null

rows=$(tail -n +2 "$work/sweep/sweep.csv" | wc -l)
[[ $rows -eq 4 ]] || fail "sweep.csv has $rows rows, expected 4"
header=$(head -1 "$work/sweep/sweep.csv")
[[ $header == traffic.calls_per_hour,run.router_mode,* ]] ||
  fail "sweep.csv header starts with the swept keys: $header"
[[ $(ls "$work/sweep/points" | wc -l) -eq 4 ]] || fail "four point folders"

# Grid order: the last --grid varies fastest.
second=$(sed -n 3p "$work/sweep/sweep.csv" | cut -d, -f1,2)
[[ $second == 240,enforced ]] || fail "second point is $second"

# B(10, A) with A = 240/3600 * 60 = 4 erlangs is 0.00531; with 420 calls an
# hour, A = 7 and B = 0.07874.
column=$(head -1 "$work/sweep/sweep.csv" | tr , '\n' | grep -nx erlang_b |
  cut -d: -f1)
[[ -n "$column" ]] || fail "no erlang_b column"
b_low=$(sed -n 2p "$work/sweep/sweep.csv" | cut -d, -f"$column")
b_high=$(sed -n 4p "$work/sweep/sweep.csv" | cut -d, -f"$column")
awk -v b="$b_low" 'BEGIN { exit !(b > 0.0053 && b < 0.0054) }' ||
  fail "erlang_b at 240 calls/h is $b_low"
awk -v b="$b_high" 'BEGIN { exit !(b > 0.0787 && b < 0.0788) }' ||
  fail "erlang_b at 420 calls/h is $b_high"

set +e
"$callshare" sweep "$scenario" --quiet --grid traffic.calls_per_hour \
  --out "$work/bad" > /dev/null 2>&1
code=$?
set -e
[[ $code -eq 2 ]] || fail "a malformed --grid exits $code, expected 2"
echo "sweep: 1 passed, 0 failed"
