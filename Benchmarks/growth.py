#!/usr/bin/env python3
"""How the shortlist and the provider searches grow with the registry: 10,000, 100,000 and
1,000,000 talents, through HTTP (http_bench.py, one connection), with an SVG plot.

    python3 Benchmarks/growth.py 10000=D1 100000=D2 1000000=D3 [--seconds 5] [--svg Benchmarks/growth.svg]

A folder that does not exist is seeded first (`yachaq seed --providers N`); `yachaq bench match`
makes the 50 benchmark requests and prints the store's own figures beside pgbench's. Prints a
Markdown table of p50 / p99 / req/s per path and size, and draws p50 and p99 against the
registry's size (log scale) into --svg.
"""
import argparse
import math
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PATHS = ["shortlist of 20", "search: language, skill, 50 km around a district", "search: department and kind, by name",
         "search: newest published, anonymous"]
COLOURS = ["#1b6b3a", "#b5562b", "#2b5cb5", "#7a3fa0"]
LABELS = ["shortlist of 20", "search near, skill, language", "search department, kind", "search newest"]


def measure(binary, size, data, seconds):
    if not os.path.isdir(data):
        subprocess.run([binary, "seed", "--providers", str(size), "--data-dir", data], check=True)
    subprocess.run([binary, "bench", "match", "--seconds", "3", "--data-dir", data], check=True)
    with tempfile.NamedTemporaryFile(suffix=".md") as out:
        subprocess.run([sys.executable, os.path.join(HERE, "http_bench.py"), data, "--binary", binary, "--connections", "1",
                        "--seconds", str(seconds), "--only", "shortlist,search:", "--out", out.name], check=True)
        rows = {}
        for line in open(out.name):
            cells = [c.strip() for c in line.split("|")[1:-1]]
            if len(cells) > 3 and cells[0] in PATHS:
                p50, p99 = (float(x) for x in re.findall(r"[\d.]+", cells[2])[:2])
                rows[cells[0]] = (p50, p99, float(cells[3].replace(",", "")))
        return rows


def svg(results, path):
    """p50 (solid) and p99 (dashed) in ms against talents, log-scaled, one colour a path."""
    width, height, left, bottom, top, right = 720, 420, 60, 50, 20, 250
    sizes = sorted(results)
    highest = max(v[1] for rows in results.values() for v in rows.values())
    top_ms = max(5, math.ceil(highest / 5) * 5)
    x = lambda n: left + (math.log10(n) - math.log10(sizes[0])) / max(1e-9, math.log10(sizes[-1]) - math.log10(sizes[0])) * (width - left - right)
    y = lambda ms: height - bottom - ms / top_ms * (height - bottom - top)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             "<title>Latency through HTTP against the number of registered talents</title>",
             f'<line x1="{left}" y1="{y(0)}" x2="{width - right}" y2="{y(0)}" stroke="#333"/>',
             f'<line x1="{left}" y1="{y(0)}" x2="{left}" y2="{y(top_ms)}" stroke="#333"/>']
    for tick in range(0, top_ms + 1, max(5, top_ms // 6 // 5 * 5)):
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4}" text-anchor="end">{tick}</text>')
        parts.append(f'<line x1="{left}" y1="{y(tick)}" x2="{width - right}" y2="{y(tick)}" stroke="#ddd"/>')
    for n in sizes:
        parts.append(f'<text x="{x(n)}" y="{height - bottom + 18}" text-anchor="middle">{n:,}</text>')
    parts.append(f'<text x="{(left + width - right) / 2}" y="{height - 10}" text-anchor="middle">talents in the registry</text>')
    parts.append(f'<text x="14" y="{top + 10}" transform="rotate(-90 14 {top + 10})" text-anchor="end">ms</text>')
    for index, name in enumerate(PATHS):
        colour = COLOURS[index]
        for column, dash in ((0, ""), (1, ' stroke-dasharray="5 4"')):
            points = " ".join(f"{x(n):.1f},{y(results[n][name][column]):.1f}" for n in sizes if name in results[n])
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        parts.append(f'<rect x="{width - right + 12}" y="{top + index * 36}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{width - right + 30}" y="{top + index * 36 + 10}">{LABELS[index]}</text>')
    parts.append(f'<text x="{width - right + 12}" y="{top + len(PATHS) * 36 + 10}">solid p50, dashed p99</text>')
    with open(path, "w") as file:
        file.write("\n".join(parts + ["</svg>"]) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("registries", nargs="+", help="SIZE=DATA_DIR")
    parser.add_argument("--binary", default=".build-release/release/yachaq")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--svg", default=os.path.join(HERE, "growth.svg"))
    args = parser.parse_args()
    results = {}
    for pair in args.registries:
        size, data = pair.split("=", 1)
        results[int(size)] = measure(args.binary, int(size), data, args.seconds)
    print("\n| path | " + " | ".join(f"{n:,} talents: p50 / p99 ms, req/s" for n in sorted(results)) + " |")
    print("| --- |" + " --- |" * len(results))
    for name in PATHS:
        cells = [f"{results[n][name][0]:.2f} / {results[n][name][1]:.2f}, {results[n][name][2]:,.0f}" if name in results[n] else "—"
                 for n in sorted(results)]
        print(f"| {name} | " + " | ".join(cells) + " |")
    svg(results, args.svg)
    print(f"\nplot: {args.svg}")


if __name__ == "__main__":
    main()
