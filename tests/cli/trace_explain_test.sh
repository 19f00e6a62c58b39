#!/usr/bin/env bash
# run --trace writes the same calls.csv and legs.csv whatever the threads,
# summary.json records the threads the run used,
# and explain tells a stale-routed call's story with the policy change
# behind it; without a trace, or for a call that does not exist, explain
# exits 2.
# Usage: trace_explain_test.sh CALLSHARE SOURCE_DIR
set -euo pipefail

callshare=$1
scenario="$2/tests/cli/stale_trace.toml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

"$callshare" run "$scenario" --trace --quiet --no-report --threads 1 \
  --out "$work/one" > /dev/null
"$callshare" run "$scenario" --trace --quiet --no-report --threads 2 \
  --out "$work/two" > /dev/null
for file in calls.csv legs.csv; do
  cmp "$work/one/$file" "$work/two/$file" || fail "$file differs by threads"
done
# summary.json records the workers each run started, not the request.
grep -q '"threads": 1,' "$work/one/summary.json" || fail "threads of one"
grep -q '"threads": 2,' "$work/two/summary.json" || fail "threads of two"
"$callshare" run "$scenario" --quiet --no-report --threads 8 \
  --out "$work/eight" > /dev/null
grep -q '"threads": 2,' "$work/eight/summary.json" ||
  fail "more threads than the 2 replications were recorded"
calls_header='id,arrival_s,callee,caller_kind,caller,legs_rung,outcome,'
calls_header+='answered_by,time_to_answer_s,flags'
head -1 "$work/one/calls.csv" | grep -qx "$calls_header" ||
  fail "calls.csv header"

# The first stale-routed call after the policy change.
id=$(awk -F, 'NR > 1 && $2 > 600 && $10 ~ /stale_routed/ { print $1; exit }' \
  "$work/one/calls.csv")
[[ -n "$id" ]] || fail "no stale-routed call in the trace"
story=$("$callshare" explain "$work/one" --call "$id")
for want in "set_policy Global allow_call_groups=false" \
  "policy Global had allow_call_groups off since 600 s" \
  "cleanup had not run yet" "member of" "Ending"; do
  grep -qF "$want" <<< "$story" || fail "explain lacks '$want':
$story"
done

set +e
"$callshare" explain "$work" --call 0 2> "$work/err"
[[ $? -eq 2 ]] || fail "explain without a trace must exit 2"
grep -q "run with --trace first" "$work/err" || fail "no-trace message"
"$callshare" explain "$work/one" --call 999999 2> "$work/err"
[[ $? -eq 2 ]] || fail "explain of a missing call must exit 2"
grep -q "out of range" "$work/err" || fail "out-of-range message"
echo "trace and explain: ok"
