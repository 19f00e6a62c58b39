#!/usr/bin/python3
"""Writes OUTDIR/report.html from the files of a callshare run folder.

Usage: /usr/bin/python3 scripts/report.py OUTDIR

Reads summary.json and the chart CSVs beside it (outcomes.csv,
time_to_answer_cdf.csv, routing_latency.csv, notifications.csv,
timeline.csv, admin_events.csv) and, for a sweep, sweep.csv and sweep.json.
The report is one self-contained file: the charts are inline SVG drawn by
matplotlib, the style sheet is inline, and nothing is fetched from the
network, so it can be mailed or archived as CI output.

The marks a reader looks for carry ids in the SVG: outcome-ci (the
outcome chart's interval whiskers), tta-p50 and tta-p90 (the time-to-answer
CDF's percentile labels), latency-p50, latency-p99 and latency-p999 (the
latency histogram's), admin-event-N and admin-event-N-label (the N-th
admin change on the timeline).

Run it with Debian's /usr/bin/python3, which has python3-matplotlib.
"""

import csv
import html
import io
import json
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must come first)

# Fixed ids inside the SVGs, so the same run gives the same report.
plt.rcParams["svg.hashsalt"] = "callshare"
plt.rcParams["figure.dpi"] = 96

OUTCOMES = [
    ("answered_by_owner", "Answered by the owner"),
    ("picked_up_by_member", "Picked up by a group member"),
    ("answered_by_delegate", "Answered by a delegate"),
    ("answered_by_forward_target", "Answered by a forward target"),
    ("voicemail", "Went to voicemail"),
    ("busy_signal", "Busy signal"),
    ("abandoned", "Caller abandoned"),
    ("disconnected", "Disconnected"),
]
PLAIN = dict(OUTCOMES)
ANSWERED = OUTCOMES[:4]

STYLE = """
body { font-family: sans-serif; max-width: 60em; margin: 2em auto;
       color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; }
.headline { font-size: 1.15em; background: #eef4fb; padding: 0.8em 1em;
            border-left: 4px solid #2b6cb0; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; } figcaption { color: #555; font-size: 0.9em; }
figure svg { max-width: 100%; height: auto; }
"""


# ---- Reading ----

def read_csv(path):
    """The rows of a CSV file as dicts; no rows when the file is absent."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def number(text, default=None):
    """A CSV cell as a float; `default` when the cell is empty."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return default


# ---- Formatting ----

def esc(text):
    return html.escape(str(text))


def percent(share, decimals=1):
    return f"{share * 100:.{decimals}f}%"


def share_text(mean, low, high):
    """'12.3% ± 0.4': a share and its 95% interval in points, or
    '0.2% (0.0% to 0.6%)' when the interval was cut at 0 or 1 and is no
    longer symmetric. A narrow interval gets a second decimal so that it
    does not read as zero."""
    if low is None or high is None:
        return percent(mean)
    below, above = mean - low, high - mean
    decimals = 2 if max(below, above) * 100 < 0.1 else 1
    if abs(below - above) > 1e-12:
        return (f"{percent(mean, decimals)} ({percent(low, decimals)} to "
                f"{percent(high, decimals)})")
    return f"{percent(mean, decimals)} ± {below * 100:.{decimals}f}"


def table(header, rows, numeric_from=1):
    """An HTML table; columns from `numeric_from` on are right-aligned."""
    head = "".join(f"<th>{esc(cell)}</th>" for cell in header)
    body = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            kind = ' class="number"' if index >= numeric_from else ""
            cells.append(f"<td{kind}>{esc(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def svg_of(fig):
    """The figure as inline SVG: no XML prolog, DOCTYPE or metadata, whose
    links point at the web and would make the file look like it fetches
    resources."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight",
                metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    return re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)


def figure(chart_id, fig, caption):
    return (f'<figure id="{chart_id}">{svg_of(fig)}'
            f"<figcaption>{esc(caption)}</figcaption></figure>")


def no_data(axes, message):
    axes.text(0.5, 0.5, message, ha="center", va="center",
              transform=axes.transAxes, color="#777")


# ---- The single-run sections ----

def headline(summary):
    """What a planner reads first: where the calls went."""
    offered = summary["outcomes"]["offered"]
    shares = summary["shares"]
    answered = sum(shares[key]["mean"] for key, _ in ANSWERED)
    parts = [f"{offered:,} calls offered over {summary['replications']} "
             f"replication(s); {percent(answered)} were answered."]
    if shares["picked_up_by_member"]["mean"] > 0:
        parts.append(f"{percent(shares['picked_up_by_member']['mean'])} "
                     "were picked up by a call group member.")
    for key, verb in (("voicemail", "went to voicemail"),
                      ("busy_signal", "got a busy signal"),
                      ("abandoned", "were abandoned by the caller"),
                      ("disconnected", "were disconnected")):
        if shares[key]["mean"] > 0:
            parts.append(f"{percent(shares[key]['mean'])} of calls {verb}.")
    flags = summary["flags"]
    if flags["stale_routed"]:
        parts.append(f"{flags['stale_routed']:,} calls followed a stale "
                     "relationship that policy no longer allows.")
    return " ".join(parts)


def run_section(summary):
    rows = [("scenario", summary["scenario"]), ("seed", summary["seed"]),
            ("replications", summary["replications"]),
            ("router mode", summary.get("router_mode", ""))]
    return "<h2>Run</h2>" + table(["", "value"], rows, numeric_from=2)


def parameters_section(summary):
    """Every effective parameter, folded: planners open it when they need
    to know exactly what ran, and the results stay on top."""
    rows = list(summary["parameters"].items())
    return (f"<details><summary><h2 style=\"display:inline\">Scenario "
            f"parameters ({len(rows)})</h2></summary>"
            + table(["parameter", "value"], rows, numeric_from=2)
            + "</details>")


def outcomes_section(summary, folder):
    rows = read_csv(folder / "outcomes.csv")
    table_rows = [(PLAIN[row["outcome"]], f"{int(row['count']):,}",
                   share_text(number(row["share_mean"], 0),
                              number(row["ci_low"]), number(row["ci_high"])))
                  for row in rows]
    fig, axes = plt.subplots(figsize=(8, 3.6))
    names = [PLAIN[row["outcome"]] for row in rows]
    means = [number(row["share_mean"], 0) * 100 for row in rows]
    # The interval need not be symmetric (its bounds stay within [0, 1]).
    below = [mean - number(row["ci_low"], mean / 100) * 100
             for mean, row in zip(means, rows)]
    above = [number(row["ci_high"], mean / 100) * 100 - mean
             for mean, row in zip(means, rows)]
    bars = axes.barh(names, means, xerr=[below, above], color="#4a90d9",
                     capsize=3)
    # Ids in the SVG name what a reader (or a test) looks for.
    for whiskers in bars.errorbar.lines[2]:
        whiskers.set_gid("outcome-ci")
    axes.invert_yaxis()
    axes.set_xlabel("share of offered calls (%), with 95% interval")
    return ("<h2>How calls ended</h2>"
            + table(["outcome", "calls", "share (95% interval)"], table_rows)
            + figure("chart-outcomes", fig,
                     "Outcome shares; bars are the mean over replications, "
                     "whiskers the 95% confidence interval."))


def tta_section(summary, folder):
    rows = read_csv(folder / "time_to_answer_cdf.csv")
    tta = summary["time_to_answer_s"]
    fig, axes = plt.subplots(figsize=(8, 3.4))
    if rows:
        # The CDF starts at no call answered at zero seconds.
        axes.step([0.0] + [number(r["seconds"]) for r in rows],
                  [0.0] + [number(r["cumulative_share"]) * 100 for r in rows],
                  where="post", color="#2b6cb0")
        axes.set_ylim(0, 101)
        for label, value in (("p50", tta["p50"]), ("p90", tta["p90"])):
            axes.axvline(value, color="#999", linestyle="--", linewidth=1)
            axes.annotate(f"{label} {value:.1f} s", (value, 0.05),
                          xycoords=axes.get_xaxis_transform(),
                          rotation=90, fontsize=8, color="#555", ha="right",
                          gid=f"tta-{label}")
    else:
        no_data(axes, "no call was answered")
    axes.set_xlabel("seconds from offer to answer")
    axes.set_ylabel("answered calls (%)")
    caption = (f"Time to answer: half of answered calls within "
               f"{tta['p50']:.1f} s, 90% within {tta['p90']:.1f} s, "
               f"99% within {tta['p99']:.1f} s (mean {tta['mean']:.1f} s).")
    return ("<h2>Time to answer</h2>"
            + figure("chart-tta-cdf", fig, caption))


def latency_section(summary, folder):
    rows = read_csv(folder / "routing_latency.csv")
    latency = summary["routing_latency_ns"]
    fig, axes = plt.subplots(figsize=(8, 3.4))
    if rows:
        lows = [number(r["lower_ns"]) for r in rows]
        widths = [number(r["upper_ns"]) - low for r, low in zip(rows, lows)]
        axes.bar(lows, [number(r["count"]) for r in rows], width=widths,
                 align="edge", color="#68a063")
        axes.set_xscale("log")
        for label, key in (("p50", "p50"), ("p99", "p99"),
                           ("p99.9", "p999")):
            axes.axvline(latency[key], color="#c53030", linestyle="--",
                         linewidth=1)
            axes.annotate(f"{label} {latency[key]:.0f} ns",
                          (latency[key], 0.98),
                          xycoords=axes.get_xaxis_transform(),
                          rotation=90, fontsize=8, color="#c53030",
                          ha="right", va="top", gid=f"latency-{key}")
    else:
        no_data(axes, "no routing latency was measured")
    axes.set_xlabel("routing latency per call (ns, log scale)")
    axes.set_ylabel("calls")
    caption = (f"Routing latency: p50 {latency['p50']:.0f} ns, p99 "
               f"{latency['p99']:.0f} ns, p99.9 {latency['p999']:.0f} ns, "
               f"max {latency['max']:.0f} ns.")
    return ("<h2>Routing latency</h2>"
            + figure("chart-latency", fig, caption))


def notifications_section(folder):
    rows = read_csv(folder / "notifications.csv")
    fig, axes = plt.subplots(figsize=(6, 3))
    kinds = [row["kind"].capitalize() for row in rows]
    rates = [number(row["per_member_hour"], 0) for row in rows]
    axes.bar(kinds, rates, color=["#d97706", "#4a90d9", "#999999"][:len(rows)])
    axes.set_ylabel("notifications per member-hour")
    table_rows = [(row["kind"].capitalize(), f"{int(row['notifications']):,}",
                   f"{number(row['per_member_hour'], 0):.2f}",
                   f"{int(row['pickups']):,}") for row in rows]
    return ("<h2>Member notifications</h2>"
            + table(["notification", "notifications", "per member-hour",
                     "pickups"], table_rows)
            + figure("chart-notifications", fig,
                     "How often each member was notified, by kind: the "
                     "interruption cost of call sharing."))


def timeline_section(folder):
    rows = read_csv(folder / "timeline.csv")
    events = read_csv(folder / "admin_events.csv")
    fig, axes = plt.subplots(figsize=(9, 4))
    if rows:
        starts = [number(r["start_s"]) / 3600 for r in rows]
        for key, name in OUTCOMES:
            counts = [int(r[key]) for r in rows]
            if any(counts):
                axes.plot(starts, counts, label=name, linewidth=1.2,
                          drawstyle="steps-post")
        for key, name, style in (("stale_routed", "Stale-routed", ":"),
                                 ("blocked_by_policy", "Blocked by policy",
                                  "-.")):
            counts = [int(r[key]) for r in rows]
            if any(counts):
                axes.plot(starts, counts, label=name, linestyle=style,
                          color="black", linewidth=1.2,
                          drawstyle="steps-post")
        for index, event in enumerate(events, start=1):
            at = number(event["at_s"], 0) / 3600
            rejected = event["rejected"] == "true"
            axes.axvline(at, color="#c53030", linewidth=1,
                         linestyle="--" if rejected else "-",
                         gid=f"admin-event-{index}")
            label = event["description"] + (" (rejected)" if rejected else "")
            axes.annotate(label, (at, 0.98),
                          xycoords=axes.get_xaxis_transform(), rotation=90,
                          fontsize=7, va="top", ha="right", color="#c53030",
                          gid=f"admin-event-{index}-label")
        axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    else:
        no_data(axes, "no timeline was recorded")
    axes.set_xlabel("simulated time (hours)")
    axes.set_ylabel("calls per slice")
    caption = ("Outcomes over simulated time. Red lines are admin changes; "
               "a stale-routing window shows as stale-routed calls between "
               "a policy change and its cleanup.")
    return ("<h2>Outcomes over time</h2>"
            + figure("chart-timeline", fig, caption)
            + events_table(events))


def events_table(events):
    if not events:
        return ""
    rows = [(f"{number(e['at_s'], 0) / 3600:.2f} h", e["description"],
             "rejected" if e["rejected"] == "true" else "applied")
            for e in events]
    return table(["at", "admin change", "result"], rows, numeric_from=3)


def run_details_section(summary):
    flags = summary["flags"]
    performance = summary["performance"]
    rows = [("stale-routed calls", f"{flags['stale_routed']:,}"),
            ("calls blocked by policy", f"{flags['blocked_by_policy']:,}"),
            ("ineligible legs skipped", f"{flags['ineligible_legs']:,}"),
            ("admin changes refused by a limit",
             f"{flags['limit_rejections']:,}"),
            ("simulated events", f"{performance['events']:,}"),
            ("events per second", f"{performance['events_per_second']:,.0f}"),
            ("wall time", f"{performance['wall_s']:.2f} s"),
            ("peak memory",
             f"{performance['peak_rss_bytes'] / 2**20:,.1f} MiB")]
    return "<h2>Flags and performance</h2>" + table(["", "value"], rows)


# ---- Sweeps ----

def sweep_series(rows, parameters):
    """Rows grouped into one series per value of every parameter but the
    last, which varies fastest in the grid and becomes the x axis."""
    series = {}
    for row in rows:
        key = tuple(f"{name}={row[name]}" for name in parameters[:-1])
        series.setdefault(key, []).append(row)
    return series


def sweep_x(rows, swept):
    """Numeric x values of a series, or positions with text labels."""
    xs = [number(r[swept]) for r in rows]
    if any(x is None for x in xs):
        return list(range(len(rows))), [r[swept] for r in rows]
    return xs, None


def used_outcomes(rows):
    return [(key, name) for key, name in OUTCOMES
            if any(number(r[f"{key}_mean"], 0) for r in rows)]


def sweep_chart(rows, parameters):
    swept = parameters[-1]
    fig, axes = plt.subplots(figsize=(9, 4))
    styles = ["-", "--", ":", "-."]
    outcomes = used_outcomes(rows)
    has_erlang = False
    for index, (label, points) in enumerate(
            sweep_series(rows, parameters).items()):
        xs, labels = sweep_x(points, swept)
        suffix = f" ({', '.join(label)})" if label else ""
        for color, (key, name) in enumerate(outcomes):
            means = [number(r[f"{key}_mean"], 0) * 100 for r in points]
            # Bounds kept within [0, 1] make the interval asymmetric.
            below = [m - number(r[f"{key}_ci_low"], m / 100) * 100
                     for m, r in zip(means, points)]
            above = [number(r[f"{key}_ci_high"], m / 100) * 100 - m
                     for m, r in zip(means, points)]
            axes.errorbar(xs, means, yerr=[below, above], label=name + suffix,
                          color=f"C{color}", marker="o", markersize=3,
                          capsize=3, linewidth=1,
                          linestyle=styles[index % len(styles)])
        erlang = [number(r["erlang_b"]) for r in points]
        if all(value is not None for value in erlang):
            has_erlang = True
            axes.plot(xs, [value * 100 for value in erlang], color="black",
                      linestyle="--", label="Erlang B (expected voicemail)"
                      + suffix)
        if labels:
            axes.set_xticks(xs, labels)
    axes.set_xlabel(swept)
    axes.set_ylabel("share of offered calls (%)")
    axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    caption = f"Each outcome share against {swept}, with 95% intervals"
    if len(parameters) > 1:
        caption += ("; one line style for each value of "
                    + ", ".join(parameters[:-1]))
    caption += "."
    if has_erlang:
        caption += (" The dashed black line is the Erlang B voicemail share "
                    "the scenario should reproduce.")
    return figure("chart-sweep", fig, caption)


def sweep_section(folder):
    rows = read_csv(folder / "sweep.csv")
    if not rows:
        return ""
    sweep = json.loads((folder / "sweep.json").read_text(encoding="utf-8"))
    parameters = sweep["parameters"]
    outcomes = used_outcomes(rows)
    table_rows = []
    for row in rows:
        cells = [row[name] for name in parameters]
        for key, _ in outcomes:
            cells.append(share_text(number(row[f"{key}_mean"], 0),
                                    number(row[f"{key}_ci_low"]),
                                    number(row[f"{key}_ci_high"])))
        table_rows.append(cells)
    header = parameters + [name for _, name in outcomes]
    return ("<h2>Sweep</h2>" + sweep_chart(rows, parameters)
            + "<p>Outcomes that never happened at any point are left out."
            "</p>" + table(header, table_rows, numeric_from=len(parameters)))


# ---- The page ----

def load_summary(folder):
    """summary.json, or for a sweep folder the first point's summary."""
    path = folder / "summary.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8")), True
    sweep_path = folder / "sweep.json"
    if sweep_path.exists():
        sweep = json.loads(sweep_path.read_text(encoding="utf-8"))
        if sweep["points"]:
            return sweep["points"][0]["summary"], False
    return None, False


def build_page(folder):
    summary, single_run = load_summary(folder)
    if summary is None:
        raise SystemExit(f"report.py: {folder}: no summary.json or sweep.json")
    sections = []
    if single_run:
        sections += [f'<p class="headline">{esc(headline(summary))}</p>',
                     run_section(summary),
                     outcomes_section(summary, folder),
                     tta_section(summary, folder),
                     latency_section(summary, folder),
                     notifications_section(folder),
                     timeline_section(folder),
                     run_details_section(summary),
                     parameters_section(summary)]
    else:
        sections += [run_section(summary), sweep_section(folder),
                     parameters_section(summary)]
    title = f"callshare report: {summary['scenario']}"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(title)}</title><style>{STYLE}</style></head>"
            f"<body><h1>{esc(title)}</h1>{''.join(sections)}</body></html>\n")


def main(argv):
    if len(argv) != 2:
        print("usage: report.py OUTDIR", file=sys.stderr)
        return 2
    folder = Path(argv[1])
    page = build_page(folder)
    (folder / "report.html").write_text(page, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
