#!/usr/bin/env bash
# Runs a small scenario and two tiny sweeps (one of them with fewer
# replications a point than ranks) once in one process and once on two
# MPI ranks, and checks that every result is the same: summary.json
# and the chart CSVs and, for the sweep, every point's. A replication is a
# pure function of the scenario, the tenant and its number, so where it
# ran must not show. Left out are the figures of the machine rather than
# of the model, which differ between any two runs: the performance
# object, the thread count and the routing latency (wall-clock time).
# Usage: mpi_equivalence_test.sh CALLSHARE SOURCE_DIR [MPIRUN]
set -euo pipefail

callshare=$1
source_dir=$2
mpirun=${3:-mpirun}
scenario="$source_dir/scenarios/validation/erlang_c1_a1.toml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# What a single machine, root in a container included, needs: root is
# allowed, two ranks may share a core, shared memory and loopback carry
# the messages, and no ssh or resource manager is looked for.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_plm=isolated OMPI_MCA_rmaps_base_oversubscribe=1
# Open MPI keeps some allocations until exit; a sanitizer build would
# report them as leaks of callshare's.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

# Five replications over two ranks: rank 0 runs three, rank 1 two.
common=(--quiet --no-report --replications 5 --threads 2
  --set run.duration_s=200000)

# Prints a result file without the machine's figures: JSON without
# "performance", "threads" and "routing_latency_ns" at any depth, keys in
# file order; CSV without its routing_latency_* columns.
results_of() {
  python3 - "$1" <<'PY'
import csv, json, sys

MACHINE = ("performance", "threads", "routing_latency_ns")

def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in MACHINE}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node

path = sys.argv[1]
with open(path, newline="") as f:
    if path.endswith(".json"):
        print(json.dumps(strip(json.load(f)), indent=1))
    else:
        rows = list(csv.reader(f))
        keep = [i for i, name in enumerate(rows[0] if rows else [])
                if not name.startswith("routing_latency")]
        for row in rows:
            print(",".join(row[i] for i in keep if i < len(row)))
PY
}

# Compares every .json and .csv file of two output folders by its
# results; routing_latency.csv is the latency histogram alone.
same_results() {
  local a=$1 b=$2 status=0 file
  while IFS= read -r file; do
    if [[ ! -f "$b/$file" ]]; then
      echo "missing in the MPI run: $file"
      status=1
    elif [[ $(basename "$file") != routing_latency.csv ]]; then
      diff <(results_of "$a/$file") <(results_of "$b/$file") || status=1
    fi
  done < <(cd "$a" && find . -name '*.json' -o -name '*.csv' | sort)
  [[ $(find "$a" -name summary.json | wc -l) -gt 0 ]] || status=1
  return $status
}

echo "== run"
"$callshare" run "$scenario" "${common[@]}" --out "$work/run_single" \
  >/dev/null
"$mpirun" -n 2 "$callshare" run "$scenario" "${common[@]}" \
  --out "$work/run_mpi" >"$work/run_mpi.log"
same_results "$work/run_single" "$work/run_mpi"

echo "== sweep"
grid=(--grid traffic.calls_per_hour=30,60)
"$callshare" sweep "$scenario" "${common[@]}" "${grid[@]}" \
  --out "$work/sweep_single" >/dev/null
"$mpirun" -n 2 "$callshare" sweep "$scenario" "${common[@]}" "${grid[@]}" \
  --out "$work/sweep_mpi" >"$work/sweep_mpi.log"
same_results "$work/sweep_single" "$work/sweep_mpi"

# One replication a point on two ranks: the ranks share out the
# (point, replication) pairs, so rank 1 runs points 2 and 4 of the five
# and rank 0 the others; the results must not show it.
echo "== sweep with fewer replications than ranks"
one=(--quiet --no-report --replications 1 --threads 1
  --set run.duration_s=200000 --grid traffic.calls_per_hour=20,30,40,50,60)
"$callshare" sweep "$scenario" "${one[@]}" --out "$work/one_single" \
  >/dev/null
"$mpirun" -n 2 "$callshare" --log-level debug sweep "$scenario" "${one[@]}" \
  --out "$work/one_mpi" >"$work/one_mpi.log" 2>"$work/one_mpi.err"
same_results "$work/one_single" "$work/one_mpi"
[[ $(find "$work/one_mpi" -name summary.json | wc -l) -eq 5 ]] ||
  { echo "expected five point summaries"; exit 1; }
# Both ranks worked: each logs the ends of its replications at debug.
for expected in "0 1 3 5" "1 2 4"; do
  read -r rank points <<<"$expected"
  for point in $points; do
    grep -q "rank $rank: point $point/5 *replication 1 finished" \
        "$work/one_mpi.err" ||
      { echo "rank $rank did not run point $point"; cat "$work/one_mpi.err"
        exit 1; }
  done
done

# Rank 0 alone speaks: one summary table, not two.
count=$(grep -c "Offered" "$work/run_mpi.log")
[[ $count -eq 1 ]] || { echo "expected one summary, got $count"; exit 1; }
echo "same results in one process and on two ranks"
