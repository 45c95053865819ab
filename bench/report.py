"""Write one benchmark day's targets and compare tables into docs/benchmarks.md.

Run by bench/run.sh after Tribune and the peers were measured (standard library only):

    python3 bench/report.py --shared ../shared/bench --args "--n 10,100,1000" \
        --write docs/benchmarks.md

Reads the JSONL results in $BENCH_RESULTS (default ./bench-results) written by the
shared harness, takes the newest record per label, operation and N of one day (as
`bench.py compare` does), and replaces the text between the "bench:results" markers
of the file with: the issue's targets as ratios, the load average of each measured
label, the output of `bench.py compare` per Tribune target, and the commands used.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys

BEGIN = "<!-- bench:results:begin -->"
END = "<!-- bench:results:end -->"
TARGETS = [
    "tribune",
    "tribune-nojs",
    "tribune-all",
    "tribune-cached",
    "tribune-all-cached",
    "tribune-uncached",
]
GOAL_N = 1000


def load(results: str, day: str | None) -> tuple[str, dict]:
    """The day used and {(target, label, op, n): newest record} of that day."""
    recs = []
    for path in glob.glob(os.path.join(results, "*.jsonl")):
        with open(path) as f:
            recs += [json.loads(line) for line in f if line.strip()]
    ours = [r for r in recs if r["target"] == "tribune"]
    if not ours:
        sys.exit(f"no tribune results in {results}")
    day = day or max(r["date"] for r in ours)
    newest: dict = {}
    for r in sorted(recs, key=lambda r: r.get("time") or ""):
        if r["date"] == day:
            label = r.get("label") or r["target"]
            newest[(r["target"], label, r["op"], r.get("n"))] = r
    return day, newest


def find(newest: dict, *, target: str, op: str, n: int, label: str = "") -> dict | None:
    for (t, lab, o, k), r in newest.items():
        if t == target and o == op and k == n and (not label or lab == label):
            return r
    return None


def fmt(x: float | None) -> str:
    if x is None:
        return "n/a"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def ratio_cell(mine: dict | None, peer: dict | None) -> tuple[str, float | None]:
    a = mine.get("rps") if mine else None
    b = peer.get("rps") if peer else None
    if a is None or not b:
        return "n/a", None
    r = a / b
    inverse = f" (1/{1 / r:,.0f})" if r < 0.01 else f" (1/{1 / r:.3g})"
    return (f"{r:.3g}x" + (inverse if r < 0.1 else "")), r


def targets_table(newest: dict) -> list[str]:
    rows = [
        (
            "Full 1,000-comment thread, returning guest who voted (`?call=1`)",
            ("tribune-all", "get", "tribune-all"),
            ("isso", "get", ""),
            100.0,
            ">= 100x Isso",
        ),
        (
            "Full 1,000-comment thread, anonymous reader (page cache)",
            ("tribune-all-cached", "get", "tribune-all-cached"),
            ("isso", "get", ""),
            50.0,
            ">= 50x Isso",
        ),
        (
            "Article page with a 1,000-comment thread, returning guest who voted",
            ("tribune", "get", "tribune"),
            ("nginx-static", "get", "nginx-static like-tribune"),
            1 / 15,
            ">= 1/15 of nginx, same bytes",
        ),
        (
            "The same reader without the script (page rendered for them)",
            ("tribune-nojs", "get", "tribune-nojs"),
            ("nginx-static", "get", "nginx-static like-tribune-nojs"),
            1 / 320,
            ">= 1/320 of nginx (as a rendered page)",
        ),
        (
            "Article page with a 1,000-comment thread, anonymous reader (page cache)",
            ("tribune-cached", "get", "tribune-cached"),
            ("nginx-static", "get", "nginx-static like-tribune-cached"),
            1 / 15,
            ">= 1/15 of nginx, same bytes",
        ),
        (
            "Article page with a 1,000-comment thread, signed-in reader (shared copy)",
            ("tribune-signed-cached", "get", "tribune-signed-cached"),
            ("nginx-static", "get", "nginx-static like-tribune-cached"),
            1 / 15,
            ">= 1/15 of nginx, same bytes",
        ),
        (
            "The same page through the shipped nginx and its micro-cache",
            ("tribune-proxied-cached", "get", "tribune-proxied-cached"),
            ("nginx-static", "get", "nginx-static like-tribune-cached"),
            1 / 3,
            ">= 1/3 of nginx, same bytes",
        ),
        (
            "Article page with a 1,000-comment thread, page cache off (rendered)",
            ("tribune-uncached", "get", "tribune-uncached"),
            ("nginx-static", "get", "nginx-static like-tribune-uncached"),
            1 / 320,
            ">= 1/320 of nginx, same bytes",
        ),
        (
            "New comments, every spam check on (1,000-comment thread)",
            ("tribune", "post", "tribune"),
            ("isso", "post", ""),
            3.0,
            ">= 3x Isso",
        ),
    ]
    out = [
        f"| measure (N = {GOAL_N:,}) | Tribune req/s | peer req/s | ratio | goal"
        " | met | 1 GET ms unloaded, Tribune / peer |",
        "|---|---:|---:|---:|---|---|---:|",
    ]
    for title, (tt, top, tlab), (pt, pop, plab), goal, goal_text in rows:
        mine = find(newest, target=tt, op=top, n=GOAL_N, label=tlab)
        peer = find(newest, target=pt, op=pop, n=GOAL_N, label=plab)
        cell, r = ratio_cell(mine, peer)
        met = "n/a" if r is None else ("yes" if r >= goal else "**no**")
        who = (peer or {}).get("label") or pt
        mine_rps, peer_rps = fmt((mine or {}).get("rps")), fmt((peer or {}).get("rps"))
        single = "n/a"
        if top == "get":
            single = (
                f"{fmt((mine or {}).get('single_ms'))} / "
                f"{fmt((peer or {}).get('single_ms'))}"
            )
        out.append(
            f"| {title} | {mine_rps} | {peer_rps} ({who}) | {cell} | {goal_text}"
            f" | {met} | {single} |"
        )
    return out


def post_goal(n: int) -> float:
    """Issue 15: >= 3x Isso's POST rate at N >= 1,000, >= 2x on smaller threads."""
    return 3.0 if n >= GOAL_N else 2.0


def post_table(newest: dict) -> list[str]:
    out = [
        "| N | Tribune POST req/s | Isso POST req/s | ratio | goal | met |",
        "|---:|---:|---:|---:|---|---|",
    ]
    ns = sorted({k[3] for k in newest if k[:3] == ("tribune", "tribune", "post")})
    for n in ns:
        mine = find(newest, target="tribune", op="post", n=n, label="tribune")
        peer = find(newest, target="isso", op="post", n=n)
        cell, r = ratio_cell(mine, peer)
        goal = post_goal(n)
        met = "n/a" if r is None else ("yes" if r >= goal else "**no**")
        out.append(
            f"| {n:,} | {fmt((mine or {}).get('rps'))} | {fmt((peer or {}).get('rps'))}"
            f" | {cell} | >= {goal:g}x Isso | {met} |"
        )
    return out


FLAT_LABELS = ("tribune-uncached",)
FLAT_GOAL = 1.2


def flatness_table(newest: dict) -> list[str]:
    """Issue 15: a rendered first page costs about the same whatever the thread's
    size: its rate at N = 10 within 1.2x of its rate at the largest N measured
    (the goal names N = 10,000; a run without it says so)."""
    out = [
        "| label | req/s at N = 10 | largest N | req/s there | N = 10 / largest"
        " | goal | met |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for label in FLAT_LABELS:
        ns = sorted(k[3] for k in newest if k[:3] == (label, label, "get"))
        small = find(newest, target=label, op="get", n=10, label=label)
        if small is None or not ns or ns[-1] <= 10:
            continue
        large = find(newest, target=label, op="get", n=ns[-1], label=label)
        a, b = small.get("rps"), (large or {}).get("rps")
        ratio = a / b if a and b else None
        met = "n/a" if ratio is None else ("yes" if ratio <= FLAT_GOAL else "**no**")
        if ns[-1] < 10_000 and met == "yes":
            met = "yes, up to this N (the goal names 10,000)"
        out.append(
            f"| {label} | {fmt(a)} | {ns[-1]:,} | {fmt(b)} | "
            f"{'n/a' if ratio is None else f'{ratio:.2f}x'} | <= {FLAT_GOAL}x | {met} |"
        )
    return out


def load_table(newest: dict) -> list[str]:
    spans: dict[str, list[float]] = {}
    for (_t, label, _op, _n), r in newest.items():
        if r.get("loadavg_before") is not None:
            spans.setdefault(label, []).append(r["loadavg_before"])
    out = ["| label | 1-min load average before its wrk runs |", "|---|---|"]
    for label in sorted(spans):
        v = spans[label]
        out.append(f"| {label} | {min(v):.2f} to {max(v):.2f} |")
    return out


def compare(shared: str, target: str, day: str) -> list[str]:
    peers = f"isso,nginx-static like-{target}"
    cmd = [sys.executable, os.path.join(shared, "bench.py"), "compare", target]
    cmd += ["--against", peers, "--date", day]
    done = subprocess.run(cmd, capture_output=True, text=True)
    shown = f"python3 ../shared/bench/bench.py compare {target} --against '{peers}'"
    if done.returncode != 0:
        return [f"`{shown}`: {done.stderr.strip() or done.stdout.strip()}"]
    return [f"`{shown} --date {day}`", "", done.stdout.rstrip()]


def block(shared: str, day: str, newest: dict, args: str) -> str:
    lines = [
        BEGIN,
        f"## Results of {day}",
        "",
        "Written by `bench/report.py` (run by `make bench`); do not edit by hand,",
        "rerun instead. Command:",
        "",
        "```sh",
        f"make bench BENCH_ARGS={json.dumps(args)}" if args else "make bench",
        "```",
        "",
        "### Targets",
        "",
        *targets_table(newest),
        "",
        "### POST rate by thread size",
        "",
        *post_table(newest),
        "",
        "### The rendered first page by thread size",
        "",
        *flatness_table(newest),
        "",
        "### Machine load",
        "",
        "Other work on the machine (a shared 2-core VM) during the run, as recorded",
        "by the harness before each wrk run:",
        "",
        *load_table(newest),
    ]
    for target in TARGETS:
        if not any(k[0] == target for k in newest):
            continue
        lines += ["", f"### {target}", "", *compare(shared, target, day)]
    lines.append(END)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared/bench")
    parser.add_argument("--args", default="", help="the bench.py options used")
    parser.add_argument("--date", help="day of the results (default: newest)")
    parser.add_argument("--write", help="markdown file to update (default: print)")
    a = parser.parse_args()
    results = os.path.abspath(os.environ.get("BENCH_RESULTS", "bench-results"))
    day, newest = load(results, a.date)
    text = block(a.shared, day, newest, a.args.strip())
    if not a.write:
        sys.stdout.write(text)
        return
    doc = ""
    if os.path.exists(a.write):
        with open(a.write) as f:
            doc = f.read()
    if BEGIN in doc and END in doc:
        head, rest = doc.split(BEGIN, 1)
        doc = head + text.rstrip("\n") + rest.split(END, 1)[1]
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    with open(a.write, "w") as f:
        f.write(doc)


if __name__ == "__main__":
    main()
