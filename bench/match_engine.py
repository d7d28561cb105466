"""Benchmark: a match run over synthetic needs and offers, per phase, with peak memory.

    .venv/bin/python bench/match_engine.py [--sizes 10k/1k,100k/10k,1M/50k] [--repeat 3]

For each size NEEDS/OFFERS: a fresh SQLite database through the migrations, seeded once by
seeding.synthetic.seed_synthetic; then each repeat copies that file and runs execute_run in a
process of its own, so that its peak memory (ru_maxrss) is the run's alone. Prints the median
seconds of load, candidates, solve and persist, the proposals, and the largest peak memory.

On the smallest size it also times the naive way: geopy's geodesic and the kind/category check
for every (need, offer) pair. All pairs would take hours, so it times a random sample of pairs
and extrapolates to all of them (said so in the output).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matchmaker import create_app  # noqa: E402
from matchmaker.extensions import db  # noqa: E402

PHASES = ("load", "candidates", "solve", "persist")


def app_for(path: Path):
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench",
                       "DATA_KEY": "bench"})


def parse_size(text: str) -> tuple[int, int]:
    def number(part: str) -> int:
        scale = {"k": 1_000, "m": 1_000_000}.get(part[-1].lower(), 1)
        return int(float(part[:-1] if scale > 1 else part) * scale)

    needs, offers = text.split("/")
    return number(needs), number(offers)


def seed(path: Path, needs: int, offers: int) -> dict:
    """Child process: migrate a fresh database and seed it."""
    from flask_migrate import upgrade

    from matchmaker.seeding.synthetic import seed_synthetic

    with app_for(path).app_context():
        upgrade()
        started = time.perf_counter()
        written = seed_synthetic(needs, offers, seed=1)
        db.session.commit()
        return {"seconds": time.perf_counter() - started, **written}


def run(path: Path) -> dict:
    """Child process: one match run over the whole province; its phases and peak memory."""
    from matchmaker.jobs.tasks import committed_step
    from matchmaker.models import MatchRun
    from matchmaker.services.market import match_runs as runs

    with app_for(path).app_context():
        made = runs.create_run()
        db.session.commit()
        started = time.perf_counter()
        runs.execute_run(made.id, step=committed_step)
        total = time.perf_counter() - started
        finished = db.session.get(MatchRun, made.id)
        return {"timings": finished.timings, "total": total, "proposals": finished.proposals,
                "candidates": finished.candidates, "needs": finished.needs_considered,
                "offers": finished.offers_considered, "total_score": finished.total_score,
                "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def baseline(path: Path, sample: int) -> dict:
    """Child process: geopy geodesic and kind check on a sample of all pairs, extrapolated."""
    from geopy.distance import geodesic

    from matchmaker.services.market import match_loading as loading
    from matchmaker.vocabularies import FITS
    from matchmaker.models.base import utcnow

    with app_for(path).app_context():
        now = utcnow()
        needs = loading.load_needs(None, now.date(), loading.fairness_start(now, 6))
        offers = loading.load_offers(None, now.date())
    rng = random.Random(1)
    pairs = [(rng.randrange(len(needs)), rng.randrange(len(offers))) for _ in range(sample)]
    started = time.perf_counter()
    for n, o in pairs:
        if offers.kind[o] in FITS[needs.kind[n]]:
            geodesic((needs.lat[n], needs.lon[n]), (offers.lat[o], offers.lon[o])).km
    seconds = time.perf_counter() - started
    all_pairs = len(needs) * len(offers)
    return {"sample": sample, "sample_seconds": seconds, "pairs": all_pairs,
            "extrapolated_seconds": seconds / sample * all_pairs}


def child(*args: str) -> dict:
    output = subprocess.run([sys.executable, __file__, *args], check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure(size: str, repeat: int, sample: int | None, folder: Path) -> dict:
    needs, offers = parse_size(size)
    seeded = folder / f"seeded-{needs}-{offers}.sqlite"
    result = {"size": size, "seed": child("--child-seed", str(seeded), str(needs), str(offers))}
    runs = []
    for i in range(repeat):
        copy = folder / f"run-{i}.sqlite"
        shutil.copyfile(seeded, copy)
        runs.append(child("--child-run", str(copy)))
        copy.unlink()
    result["runs"] = runs
    result["median"] = {phase: statistics.median(r["timings"][phase] for r in runs)
                        for phase in PHASES}
    result["median"]["total"] = statistics.median(r["total"] for r in runs)
    result["max_rss_mib"] = max(r["max_rss_mib"] for r in runs)
    if sample:
        result["baseline"] = child("--child-baseline", str(seeded), str(sample))
    seeded.unlink()
    return result


def report(result: dict) -> None:
    median, first = result["median"], result["runs"][0]
    print(f"\n{result['size']}: {first['needs']:,} needs, {first['offers']:,} offers, "
          f"{first['candidates']:,} candidate pairs, {first['proposals']:,} proposals "
          f"(seeded in {result['seed']['seconds']:.1f} s)")
    print("  median of %d: " % len(result["runs"]) + ", ".join(
        f"{phase} {median[phase]:.2f} s" for phase in (*PHASES, "total")))
    print(f"  peak memory of a run process: {result['max_rss_mib']:.0f} MiB")
    if "baseline" in result:
        b = result["baseline"]
        print(f"  naive all-pairs geopy baseline: {b['sample']:,} sampled pairs in "
              f"{b['sample_seconds']:.2f} s, extrapolated to all {b['pairs']:,} pairs: "
              f"{b['extrapolated_seconds']:.0f} s (not run in full)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1].startswith("--child-"):
        kind, path, *rest = sys.argv[1:]
        work = {"--child-seed": lambda: seed(Path(path), int(rest[0]), int(rest[1])),
                "--child-run": lambda: run(Path(path)),
                "--child-baseline": lambda: baseline(Path(path), int(rest[0]))}[kind]
        print(json.dumps(work()))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10k/1k,100k/10k,1M/50k")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-sample", type=int, default=20_000)
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mm-match-bench-"))
    for index, size in enumerate(args.sizes.split(",")):
        result = measure(size, args.repeat, args.baseline_sample if index == 0 else None,
                         folder)
        report(result)
        if args.json:
            print(json.dumps(result))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
