"""Benchmark: import N households (default 100,000) from ledger CSV files of at most 10 MB.

    .venv/bin/python bench/import_households.py [--households 100000] [--database URL]

Builds a fresh database through the migrations (SQLite file by default), writes ledgers of a
head and two members per household, split into files under the 10 MB upload limit as a cadre
would split them, and imports them through the same service the page and the API use.
Prints the time of each phase, households per second and the peak memory (max RSS).
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matchmaker import create_app  # noqa: E402
from matchmaker.extensions import db  # noqa: E402
from matchmaker.privacy import id_check_character  # noqa: E402

HEADER = "户编号,村代码,户主姓名,成员姓名,与户主关系,身份证号,联系电话,家庭人口,致贫原因,户类型\n"
VILLAGES = ["360302102200", "360302102201", "360302102202", "360302102203"]
MAX_FILE = 10 * 1024 * 1024 - 4096


def id_number(serial: int, birth: str) -> str:
    first17 = f"360302{birth}{serial % 1000:03d}"
    return first17 + id_check_character(first17)


def ledger_rows(count: int):
    for n in range(count):
        village = VILLAGES[n % len(VILLAGES)]
        year = 1950 + n % 50
        day = f"{year}{1 + n // 1000 % 12:02d}{1 + n // 12000 % 28:02d}"
        head = id_number(n, day)
        child = id_number(n, f"{2005 + n % 15}{1 + n // 1000 % 12:02d}{1 + n // 12000 % 28:02d}")
        code = f"B{n:06d}"
        yield (f"{code},{village},户主{n},户主{n},户主,{head},138{n:08d},3,因病、缺资金,脱贫户\n"
               f"{code},{village},户主{n},配偶{n},配偶,,,,,\n"
               f"{code},{village},户主{n},子女{n},子,{child},,,,\n")


def write_files(count: int, folder: Path) -> list[Path]:
    files, size, handle = [], 0, None
    for rows in ledger_rows(count):
        data = rows.encode()
        if handle is None or size + len(data) > MAX_FILE:
            if handle:
                handle.close()
            files.append(folder / f"ledger-{len(files) + 1}.csv")
            handle, size = open(files[-1], "wb"), len(HEADER.encode())
            handle.write(HEADER.encode())
        handle.write(data)
        size += len(data)
    handle.close()
    return files


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mm-bench-"))
    url = args.database or f"sqlite:///{folder / 'bench.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "DATA_KEY": "bench"})
    with app.app_context():
        from flask_migrate import upgrade

        from matchmaker.services import accounts, regions
        from matchmaker.services.registry import imports

        upgrade()
        regions.load_regions()
        admin = accounts.create_user("bench-admin", "bench-pass-1", "admin")
        db.session.commit()
        started = time.perf_counter()
        files = write_files(args.households, folder)
        written = time.perf_counter()
        totals = {"created": 0, "updated": 0, "errors": 0}
        for path in files:
            batch = imports.upload(admin, path.name, path.read_bytes(), None)
            result = imports.apply(batch, admin, lambda percent, message: db.session.commit())
            db.session.commit()
            for key in ("created", "updated"):
                totals[key] += result[key]
            totals["errors"] += len(result["errors"])
        done = time.perf_counter()
    seconds = done - written
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {url.split(':')[0]}  households: {args.households}  files: {len(files)}")
    print(f"write ledgers: {written - started:.1f} s  import: {seconds:.1f} s  "
          f"({args.households / seconds:.0f} households/s)  peak RSS: {peak_mb:.0f} MiB")
    print(f"result: {totals}")


if __name__ == "__main__":
    main()
