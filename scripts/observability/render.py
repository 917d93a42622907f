"""Draws docs/operate.md's pictures from a real run captured by scripts/observability/capture-run.ts.

    pip install matplotlib
    python3 scripts/observability/render.py [dir=docs/observability]

dashboard.png: the panels of deploy/observability/grafana/dashboards/ci-asr-transcriptions.json, laid out on its grid,
each panel's PromQL evaluated here over the run's scrapes (increase = difference of counter snapshots over the window,
histogram_quantile = Prometheus's linear interpolation inside the bucket). Grafana cannot run on the machine that made
these pictures (no Docker); the numbers are the run's, only the drawing is not Grafana's.
trace.png: the spans of one transcription's trace as a waterfall, indented by parent.
"""

import json
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/observability")
ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = json.loads((ROOT / "deploy/observability/grafana/dashboards/ci-asr-transcriptions.json").read_text())
RUN = json.loads((OUT / "metrics.json").read_text())
SCRAPES = RUN["scrapes"]
T = [s["t"] for s in SCRAPES]
WINDOW = 3  # scrapes per rate interval (3 x 5 s = 15 s)

BG, PANEL, TEXT, MUTED, GRID = "#111217", "#181b1f", "#ccccdc", "#8e8e9e", "#2c3235"
PALETTE = ["#73BF69", "#F2CC0C", "#5794F2", "#FF9830", "#F2495C", "#B877D9", "#8AB8FF", "#FF7383"]
KEY = re.compile(r"^([a-z_]+)\{(.*)\}$")


def parse_key(key):
    name, labels = KEY.match(key).groups()
    return name, dict(pair.split("=", 1) for pair in labels.split(",") if pair)


PARSED = [[(parse_key(k), v) for k, v in s["values"].items()] for s in SCRAPES]


def series(name, **match):
    """Per scrape, the sum of every sample of `name` whose labels include `match` (label!=x as key 'label!')."""
    out = []
    for samples in PARSED:
        total = 0.0
        for (n, labels), v in samples:
            if n != name:
                continue
            ok = all(
                (labels.get(k[:-1]) != want) if k.endswith("!") else (labels.get(k) == want) for k, want in match.items()
            )
            total += v if ok else 0.0
        out.append(total)
    return out


def label_values(name, label, **match):
    seen = []
    for samples in PARSED:
        for (n, labels), _ in samples:
            if n == name and label in labels and all(labels.get(k) == v for k, v in match.items()):
                if labels[label] not in seen:
                    seen.append(labels[label])
    return seen


def increase(values, window=WINDOW):
    return [max(0.0, values[i] - values[max(0, i - window)]) for i in range(len(values))]


def total(values):
    return values[-1] - values[0]


def quantile(q, name, **match):
    """histogram_quantile(q, sum by (le) (rate(name_bucket[window]))) per scrape."""
    bounds = sorted({float(l) for l in label_values(f"{name}_bucket", "le", **match) if l != "+Inf"})
    counts = {b: increase(series(f"{name}_bucket", le=fmt(b), **match), WINDOW * 2) for b in bounds}
    inf = increase(series(f"{name}_bucket", le="+Inf", **match), WINDOW * 2)
    out = []
    for i in range(len(T)):
        n = inf[i]
        if n <= 0:
            out.append(float("nan"))
            continue
        rank, lower, below = q * n, 0.0, 0.0
        value = bounds[-1]
        for b in bounds:
            c = counts[b][i]
            if c >= rank:
                value = lower + (b - lower) * ((rank - below) / (c - below) if c > below else 0)
                break
            lower, below = b, c
        out.append(value)
    return out


def fmt(bound):
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def duration(seconds):
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:.1f} min"
    return f"{seconds:.0f} s"


F = "ci_asr_transcriptions_finished"


def stats():
    completed = total(series(F, outcome="completed"))
    by_callback = total(series(F, outcome="completed", completed_by="callback"))
    return {
        "Runs finished": f"{total(series(F)):.0f}",
        "Completed": f"{completed:.0f}",
        "Failed, timed out or cancelled": f"{total(series(F, **{'outcome!': 'completed'})):.0f}",
        "Completed by callback": f"{100 * by_callback / completed:.0f}%" if completed else "-",
        "Submits adopted after a retry": f"{total(series('ci_asr_jobs_adopted')):.0f}",
        "Audio transcribed": duration(total(series("ci_asr_audio_duration_seconds_sum"))),
    }


def timeseries():
    def grouped(name, label, fmt_label="{}", **match):
        return {fmt_label.format(v): increase(series(name, **{label: v}, **match)) for v in label_values(name, label, **match)}

    return {
        "Jobs by outcome": ("bars", grouped(F, "outcome")),
        "Submit-to-result latency": (
            "lines",
            {f"p{int(q * 100)}": quantile(q, "ci_asr_submit_to_result_seconds") for q in (0.5, 0.9, 0.99)},
        ),
        "CI errors by code and action": (
            "bars",
            {
                f"{a} {c}": increase(series("ci_asr_ci_errors", action=a, code=c))
                for a in label_values("ci_asr_ci_errors", "action")
                for c in label_values("ci_asr_ci_errors", "code", action=a)
            },
        ),
        "Submits: new, adopted, duplicate jobs": (
            "lines",
            {
                "submitted": increase(series("ci_asr_jobs_submitted")),
                "adopted": increase(series("ci_asr_jobs_adopted")),
                **grouped("ci_asr_duplicate_jobs", "outcome", "duplicate ({})"),
            },
        ),
        "Receiver: callbacks accepted and refused": (
            "lines",
            {
                "accepted": increase(series("ci_callback_accepted_total")),
                **grouped("ci_callback_rejected_total", "reason", "refused: {}"),
            },
        ),
        "Receiver: signal latency": (
            "lines",
            {f"p{int(q * 100)}": quantile(q, "ci_callback_signal_duration_seconds") for q in (0.5, 0.99)},
        ),
    }


HEADER_ROWS = 1.2  # grid rows above the panels for the dashboard's title


def axes_for(fig, pos, rows):
    """The plot area of a panel on Grafana's 24-column grid, leaving room for its title and axis labels."""
    x, y, w, h = pos["x"], pos["y"] + HEADER_ROWS, pos["w"], pos["h"]
    top_pad, bottom_pad, side_pad = 0.9, 0.75, 0.006
    if h <= 4:
        bottom_pad = 0.15
    return fig.add_axes(
        [x / 24 + side_pad, 1 - (y + h - bottom_pad) / rows, w / 24 - 2 * side_pad, (h - top_pad - bottom_pad) / rows]
    )


def frame(ax, title):
    ax.set_facecolor(PANEL)
    ax.add_patch(
        FancyBboxPatch((0, 0), 1, 1, transform=ax.transAxes, boxstyle="round,pad=0,rounding_size=0.01", fc=PANEL,
                       ec=GRID, lw=1, zorder=-10, clip_on=False)
    )
    ax.set_title(title, loc="left", color=TEXT, fontsize=10, fontweight="bold", pad=6)


def draw_dashboard():
    rows = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in DASHBOARD["panels"]) + HEADER_ROWS
    fig = plt.figure(figsize=(19.2, rows * 0.42), facecolor=BG)
    fig.text(0.006, 1 - 0.5 / rows, f"{DASHBOARD['title']}   ·   a captured run of {duration(T[-1])}, scraped every 5 s",
             color=TEXT, fontsize=13, va="center")
    values, series_by_title = stats(), timeseries()
    for panel in DASHBOARD["panels"]:
        ax = axes_for(fig, panel["gridPos"], rows)
        title = panel["title"]
        frame(ax, title)
        if panel["type"] == "stat":
            ax.set_xticks([]), ax.set_yticks([])
            for s in ax.spines.values():
                s.set_visible(False)
            ax.text(0.5, 0.42, values[title], ha="center", va="center", fontsize=26, color=PALETTE[0], fontweight="bold")
        elif panel["type"] == "piechart":
            parts = {v: total(series(F, outcome="completed", completed_by=v))
                     for v in label_values(F, "completed_by", outcome="completed")}
            ax.pie(list(parts.values()), labels=[f"{k} {v:.0f}" for k, v in parts.items()], colors=PALETTE[2:],
                   textprops={"color": TEXT, "fontsize": 9}, wedgeprops={"width": 0.45, "edgecolor": PANEL},
                   startangle=90, autopct="%1.0f%%", pctdistance=0.78)
            ax.set_aspect("equal")
        else:
            kind, data = series_by_title[title]
            style(ax, panel.get("fieldConfig", {}).get("defaults", {}).get("unit"))
            bottom = [0.0] * len(T)
            for i, (label, ys) in enumerate(data.items()):
                color = PALETTE[i % len(PALETTE)]
                if kind == "bars":
                    ax.bar(T, ys, width=4, bottom=bottom, color=color, label=label, alpha=0.85)
                    bottom = [b + y for b, y in zip(bottom, ys)]
                else:
                    ax.plot(T, ys, color=color, lw=1.8, label=label)
                    ax.fill_between(T, ys, color=color, alpha=0.12)
            if data:
                ax.legend(loc="upper left", fontsize=7, frameon=False, labelcolor=TEXT, ncol=3)
            ax.set_ylim(bottom=0)
    fig.savefig(OUT / "dashboard.png", dpi=100, facecolor=BG, bbox_inches="tight")


def style(ax, unit):
    ax.tick_params(colors=MUTED, labelsize=7)
    for s in ax.spines.values():
        s.set_color(GRID)
    ax.grid(color=GRID, lw=0.6)
    ax.set_xlabel("seconds into the run", color=MUTED, fontsize=7)
    if unit == "s":
        ax.set_ylabel("seconds", color=MUTED, fontsize=7)


SPAN_COLORS = {"StartWorkflow": "#5794F2", "RunWorkflow": "#5794F2", "StartActivity": "#B877D9",
               "RunActivity": "#B877D9", "CI": "#FF9830", "COS": "#F2CC0C", "POST": "#73BF69",
               "SignalWorkflow": "#73BF69", "HandleSignal": "#73BF69"}


def draw_trace():
    data = json.loads((OUT / "trace.json").read_text())
    spans = data["spans"]
    ids = {s["spanId"] for s in spans}
    children = {}
    for s in spans:
        parent = s["parentSpanId"] if s.get("parentSpanId") in ids else None
        children.setdefault(parent, []).append(s)
    ordered = []

    def walk(parent, depth):
        for s in sorted(children.get(parent, []), key=lambda s: s["startMs"]):
            ordered.append((depth, s))
            walk(s["spanId"], depth + 1)

    walk(None, 0)
    t0 = min(s["startMs"] for s in spans)
    t1 = max(s["endMs"] for s in spans)
    fig, ax = plt.subplots(figsize=(16, 0.36 * len(ordered) + 1.4), facecolor=BG)
    fig.subplots_adjust(left=0.3)
    ax.set_facecolor(PANEL)
    for row, (depth, s) in enumerate(ordered):
        color = SPAN_COLORS.get(re.split(r"[: ]", s["name"])[0], MUTED)
        if s["status"] == 2:
            color = "#F2495C"
        start, width = s["startMs"] - t0, max(s["endMs"] - s["startMs"], (t1 - t0) * 0.002)
        ax.barh(row, width, left=start, height=0.62, color=color, alpha=0.9)
        attrs = s["attributes"]
        note = " ".join(
            str(attrs[k]) for k in ("http.request.method", "http.route", "http.response.status_code", "tencent.error_code")
            if k in attrs
        )
        if "tencent.request_id" in attrs:
            note += f"  request {attrs['tencent.request_id']}"
        label = f"{'   ' * depth}{s['name']}"
        ax.text(-0.36, row, label, ha="left", va="center", color=TEXT, fontsize=8.5, family="monospace",
                transform=ax.get_yaxis_transform())
        ax.text(start + width + (t1 - t0) * 0.004, row, f"{s['endMs'] - s['startMs']:.0f} ms  {note}", va="center",
                color=MUTED, fontsize=7.5)
    ax.set_ylim(len(ordered) - 0.4, -0.6)
    ax.set_xlim(0, (t1 - t0) * 1.25)
    ax.set_yticks([])
    ax.tick_params(colors=MUTED, labelsize=8)
    for sp in ax.spines.values():
        sp.set_color(GRID)
    ax.grid(axis="x", color=GRID, lw=0.6)
    ax.set_xlabel("ms since the client started the workflow", color=MUTED, fontsize=8)
    ax.set_title(f"One transcription, one trace: {len(spans)} spans (workflow {data['workflowId']})", loc="left",
                 color=TEXT, fontsize=11, fontweight="bold")
    fig.savefig(OUT / "trace.png", dpi=100, facecolor=BG, bbox_inches="tight")


if __name__ == "__main__":
    draw_dashboard()
    draw_trace()
    print(f"wrote {OUT / 'dashboard.png'} and {OUT / 'trace.png'}")
