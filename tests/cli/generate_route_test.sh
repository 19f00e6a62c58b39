#!/usr/bin/env bash
# generate-tenant writes the same files for the same seed and warns when
# --groups asks for more groups than users; validate passes a clean copy
# (exit 0) and names file and line on a broken one (exit 1); route names
# the members it skipped with their reason, an ineligible callee, a PSTN
# call sent straight to voicemail, and what happens if nobody answers.
# People are found in the generated files, not hard-coded.
# Usage: generate_route_test.sh CALLSHARE
set -euo pipefail

callshare=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
expect() {  # expect TEXT WANTED...: every WANTED is a line part of TEXT
  local text=$1
  shift
  for want in "$@"; do
    grep -qF -- "$want" <<< "$text" || fail "output lacks '$want':
$text"
  done
}

# Generation: byte-identical twice, and a summary of what was written.
summary=$("$callshare" generate-tenant --users 400 --groups 60 --seed 9 \
  --out "$work/one")
"$callshare" generate-tenant --users 400 --groups 60 --seed 9 \
  --out "$work/two" > /dev/null
diff -r "$work/one" "$work/two" > /dev/null || fail "same seed, other files"
expect "$summary" "wrote 400 users" "60 call groups" "call group owners"
"$callshare" generate-tenant --users 5 --groups 9 --out "$work/few" \
  2> "$work/err" > /dev/null
expect "$(cat "$work/err")" "capped at one per user" \
  "5 call groups were written"

# Validation: clean, then a copy with one bad cell.
report=$("$callshare" validate "$work/one" --errors-only 2>&1) ||
  fail "a generated tenant must validate: $report"
expect "$report" "one: valid"
cp -r "$work/one" "$work/bad"
awk -F, -v OFS=, 'FNR == 4 { $2 = "maybe" } { print }' \
  "$work/one/users.csv" > "$work/bad/users.csv"
set +e
"$callshare" validate "$work/bad" > "$work/out" 2>&1
status=$?
set -e
[[ $status -eq 1 ]] || fail "validate of a bad copy exited $status, not 1"
grep -q "users.csv:4: teams_only:" "$work/out" ||
  fail "no file:line for the bad cell: $(cat "$work/out")"

# Who is eligible, and why not: "upn reason" for each ineligible user.
users="$work/one/users.csv"
why_not() {
  awk -F, -v upn="$1" '$1 == upn {
    if ($2 == "false" && $3 == "false")
      print "not in Teams Only mode and not voice-enabled"
    else if ($2 == "false") print "not in Teams Only mode"
    else if ($3 == "false") print "not voice-enabled" }' "$users"
}

# The first eligible owner on Global with an ineligible member and an
# eligible one (owners always share calls with their group), printed as
# "owner ineligible_member eligible_member".
read -r owner ineligible available < <(awk -F, '
  FNR == 1 { next }
  FILENAME ~ /users.csv$/ { ok[$1] = $2 == "true" && $3 == "true"
                            global[$1] = $4 == "Global"; next }
  !ok[$1] || !global[$1] { next }
  !ok[$3] && !($1 in bad) { bad[$1] = $3 }
  ok[$3] && !($1 in good) { good[$1] = $3 }
  ($1 in bad) && ($1 in good) { print $1, bad[$1], good[$1]; exit }' \
  "$users" "$work/one/call_group_members.csv")
[[ -n "${available:-}" ]] || fail "no owner with both kinds of member"

plan=$("$callshare" route "$work/one" --callee "$owner" \
  --presence "$available=offline")
reason=$(why_not "$ineligible")
expect "$plan" "Call to $owner" \
  "$ineligible (call group member) is $reason, so is never rung" \
  "$available (call group member) is offline, so is not notified" \
  "If nobody answers: voicemail at "

# An ineligible owner gets no call sharing and rings alone.
callee=$(awk -F, 'NR > 1 && ($2 == "false" || $3 == "false") { print $1 }' \
  "$users" | grep -xFf <(cut -d, -f1 "$work/one/call_group_members.csv") |
  head -1)
[[ -n "$callee" ]] || fail "no ineligible owner"
plan=$("$callshare" route "$work/one" --callee "$callee")
expect "$plan" \
  "the callee $callee is $(why_not "$callee"), so gets no call sharing" \
  "and the call rings $callee only"

# A PSTN call under the PstnToVoicemail policy rings nobody.
callee=$(awk -F, '$4 == "PstnToVoicemail" { print $1; exit }' "$users")
[[ -n "$callee" ]] || fail "no user on PstnToVoicemail"
plan=$("$callshare" route "$work/one" --callee "$callee" --pstn)
expect "$plan" "Nobody rings: the call goes straight to voicemail." \
  "policy PstnToVoicemail sets InboundPstnCallRoutingTreatment to Voicemail"
echo "generate, validate and route: ok"
