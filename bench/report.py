"""Turns the figures of one `make bench` run into bench/results.json and BENCHMARKS.md.

Reads BENCH_OUT/results.jsonl (one JSON object per figure, written by `record` in
bench/lib.sh) and BENCH_OUT/sections/<figure script>.md (each script's part of the page).
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
from pathlib import Path

FIELDS = ("name", "value", "unit", "reference", "ratio", "target", "met")


def shell(command):
    try:
        return subprocess.run(
            command, shell=True, check=True, capture_output=True, text=True, timeout=60
        ).stdout.strip()
    except (subprocess.SubprocessError, OSError):
        return "unknown"


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def number(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    return f"{value:,}"


def verdict(met):
    return {True: "yes", False: "**no**", None: ""}[met]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--build-seconds", type=float, default=0)
    parser.add_argument("--total-seconds", type=float, default=0)
    parser.add_argument("--postgres-url", default="")
    parser.add_argument("--figures", default="")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()

    out = Path(args.out)
    figures = []
    results = out / "results.jsonl"
    if results.exists():
        for line in results.read_text().splitlines():
            if line.strip():
                figures.append(json.loads(line))

    # In the order of the figure scripts, whichever run measured them.
    scripts = args.figures.split()
    figures.sort(key=lambda f: scripts.index(f.get("script")) if f.get("script") in scripts else len(scripts))

    Path("bench").mkdir(exist_ok=True)
    with open("bench/results.json", "w") as file:
        json.dump([{key: figure.get(key) for key in FIELDS} for figure in figures], file, indent=2)
        file.write("\n")

    pg_version = shell(f"psql '{args.postgres_url}' -X -Atq -c 'SHOW server_version'")
    commit = shell("git rev-parse --short HEAD")
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run.sh`, one script per figure in `bench/figures/`);",
        "the figures are also in `bench/results.json`. Release build, loopback only, the load",
        "generator (wrk or pgbench) on the same cores as the server and the database. Every",
        "figure is measured beside its reference in the same run, on databases of its own,",
        "created fresh and dropped afterwards.",
        "",
        f"Last run: {when}, commit {commit}, on {cpu_model()} (`nproc`: {os.cpu_count()}),",
        f"{memory_gb:.1f} GB of memory, PostgreSQL {pg_version}; load average at the end",
        f"{' '.join(load)}. Build {args.build_seconds:.0f} s, whole run {args.total_seconds:.0f} s.",
    ]
    if args.quick:
        lines += [
            "",
            "**BENCH_QUICK=1: a smoke run on small data. These figures do not measure the",
            "targets.**",
        ]
    lines += [
        "",
        "| figure | value | reference | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for figure in figures:
        unit = figure.get("unit") or ""
        value = f"{number(figure.get('value'))} {unit}".strip()
        reference = figure.get("reference")
        reference = f"{number(reference)} {unit}".strip() if reference is not None else ""
        lines.append(
            f"| `{figure['name']}` | {value} | {reference} | {number(figure.get('ratio'))} "
            f"| {figure.get('target') or ''} | {verdict(figure.get('met'))} |"
        )
    lines += [
        "",
        "The ratio is the figure over its reference (for throughput: Threshold's requests a",
        "second over the database's own transactions a second for the same statements; for",
        "times: Threshold's time over the reference's). MB are 10^6 bytes. One run each on a",
        "shared machine: treat differences of a few percent as noise.",
    ]
    order = args.figures.split() or sorted(p.stem for p in (out / "sections").glob("*.md"))
    for name in order:
        section = out / "sections" / f"{name}.md"
        if section.exists():
            lines += ["", section.read_text().rstrip()]
        else:
            lines += ["", f"## {name}", "", "This figure did not run, or failed; see the log."]
    # What the figures mean, which targets are missed, why and what would close them: written
    # by hand from the last full run's profiles, kept beside the scripts.
    analysis = Path("bench/analysis.md")
    if analysis.exists():
        lines += ["", analysis.read_text().rstrip()]
    Path("BENCHMARKS.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
