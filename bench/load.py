"""Benchmark: a bounded mixed load against the app served by gunicorn on 127.0.0.1.

    .venv/bin/python bench/load.py [--database postgresql|sqlite] [--workers 4]
        [--connections 16] [--duration 30] [--max-requests 20000] [--runs 3] [--json FILE]
        [--commit REV]

Each run starts from a fresh database (PostgreSQL: `matchmaker_bench_load` on 127.0.0.1:5432,
created and dropped here; SQLite: a file in a temporary folder), runs `matchmaker init` and
`matchmaker seed demo`, serves `gunicorn -w N -b 127.0.0.1:PORT 'matchmaker:create_app()'`,
gets a bearer token for each demo organizer, and then lets `--connections` closed-loop clients
(spread over a few processes, so the GIL does not queue them) send a mix of

    home       GET /                                                      (public dashboard)
    impact     GET /api/v1/impact?region=CODE                             (province to village)
    breakdown  GET /api/v1/impact/breakdown?by=month&metric=volunteer_hours
    wishes     GET /wishes
    post       POST /api/v1/activities                                    (organizer, bearer)

until `--duration` seconds have passed or `--max-requests` were sent, whichever comes first.
Every post is valid: one of the organizer's teams, up to three of that team's volunteers with
2 hours each, on a past date that no other post of the run uses for that team (the clients'
dates interleave, counting back from the end of 2025, before the demo's own records), so no
volunteer comes near 24 hours a day while all clients post about the same months. After the
load the activities and hour lines in the database are counted and compared with the 201
answers (and the new activities' ids and lines with those answered); any other status, or a
connection error, is an error.

Why a Python client and not wrk: wrk's Lua hooks see neither the time a request took nor
which connection answered, so a mixed wrk run can only give one latency distribution for all
kinds together; the brief wants p50/p99 per kind. The client costs little next to the server
(its CPU time is reported), and each request is timed from send to the last byte read.

`--commit REV` serves a `git archive` of that commit instead of the working tree (others may
be half-way through an edit there); the figures name the code they measured.

Run by hand; never collected as a test. Traffic goes to 127.0.0.1 only.
"""
from __future__ import annotations

import argparse
import http.client
import json
import math
import multiprocessing
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
#: the tree that is seeded and served: ROOT, or an export of --commit
TREE = ROOT
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # never anything else
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "matchmaker_bench_load"
KINDS = ("home", "impact", "breakdown", "wishes", "post")
DEFAULT_MIX = "home=25,impact=25,breakdown=15,wishes=15,post=20"
#: the posts' dates count back from here; the demo's own records are all in 2026
LAST_POST_DAY = date(2025, 12, 31)
LINES_PER_POST = 3
HOURS_PER_LINE = 2
CATEGORIES = ("tutoring", "elderly_care", "cleaning", "repair", "skills_training", "charity")
REQUEST_TIMEOUT_S = 30


# -- the database and the server -----------------------------------------------------------------

def fresh_database(kind: str, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'bench.sqlite'}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)"))
        connection.execute(sa.text(f"CREATE DATABASE {BENCH_DB}"))
    admin.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{BENCH_DB}"


def drop_database(kind: str) -> None:
    if kind != "postgresql":
        return
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)"))
    admin.dispose()


def environment(url: str, folder: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MATCHMAKER_")}
    env.update(MATCHMAKER_DATABASE_URL=url, MATCHMAKER_SECRET_KEY="bench-load-secret",
               MATCHMAKER_DATA_KEY="bench-load-data-key", PYTHONUNBUFFERED="1")
    env["TMPDIR"] = str(folder)
    env["PYTHONPATH"] = str(TREE)  # not the editable install's tree, when --commit is given
    return env


def seed(env: dict[str, str]) -> None:
    for command in (["init"], ["seed", "demo"]):
        done = subprocess.run([str(BIN / "matchmaker"), *command], cwd=TREE, env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"matchmaker {' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(env: dict[str, str], workers: int, port: int, log: Path) -> subprocess.Popen:
    command = [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"{HOST}:{port}",
               "--timeout", "60", "--graceful-timeout", "10", "--error-logfile", str(log),
               "matchmaker:create_app()"]
    server = subprocess.Popen(command, cwd=TREE, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}:\n{log.read_text()}")
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise SystemExit("gunicorn did not answer /healthz within 180 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def request(port: int, method: str, path: str, body=None, token: str | None = None,
            connection: http.client.HTTPConnection | None = None):
    own = connection is None
    connection = connection or http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    headers = {"Accept": "application/json" if path.startswith("/api/") else "text/html"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        if response.will_close:
            connection.close()
        return response.status, payload
    finally:
        if own:
            connection.close()


# -- what the clients need to know -----------------------------------------------------------------

def plan_of(port: int) -> dict:
    """Tokens, each organizer's teams and volunteers, and the places to ask figures for."""
    users = json.loads((TREE / "seeds/demo/users.json").read_text())
    teams = []
    for user in users["users"]:
        if user["role"] != "organizer":
            continue
        status, body = request(port, "POST", "/api/v1/auth/token",
                               {"username": user["username"], "password": users["password"]})
        if status != 200:
            raise SystemExit(f"token for {user['username']}: {status} {body[:200]!r}")
        token = json.loads(body)["token"]
        status, body = request(port, "GET", "/api/v1/teams?per_page=200", token=token)
        for team in json.loads(body)["items"]:
            status, body = request(port, "GET",
                                   f"/api/v1/teams/{team['id']}/volunteers?per_page=200",
                                   token=token)
            volunteers = [v["id"] for v in json.loads(body)["items"]]
            if volunteers:
                teams.append({"token": token, "team_id": team["id"], "volunteers": volunteers})
    households = json.loads((TREE / "seeds/demo/households.json").read_text())
    villages = sorted({h["village_code"] for h in households})
    counties = sorted({code[:6] + "000000" for code in villages})
    cities = sorted({code[:4] + "00000000" for code in villages})
    provinces = sorted({code[:2] + "0000000000" for code in villages})
    known = {line.split(",")[0] for line in (TREE / "seeds/regions.csv").read_text().splitlines()}
    regions = [code for code in provinces + cities + counties + villages if code in known]
    return {"teams": teams, "regions": regions, "villages": villages}


def database_counts(url: str) -> dict:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        found = {
            "activities": connection.scalar(sa.text("SELECT count(*) FROM activities")),
            "hour_lines": connection.scalar(sa.text("SELECT count(*) FROM activity_hours")),
            "max_id": connection.scalar(sa.text("SELECT coalesce(max(id), 0) FROM activities")),
        }
    engine.dispose()
    return found


def new_activities(url: str, after_id: int) -> dict[int, int]:
    """Activity id → its hour lines, for the activities created after `after_id`."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT a.id, count(h.id) FROM activities a LEFT JOIN activity_hours h "
            "ON h.activity_id = a.id WHERE a.id > :after GROUP BY a.id"), {"after": after_id})
        found = {row[0]: row[1] for row in rows}
    engine.dispose()
    return found


# -- the clients ---------------------------------------------------------------------------------

def build(kind: str, rng: random.Random, plan: dict, client: int, posts: int, days: int,
          clients: int = 1):
    """(method, path, body, token, hour lines) of one request of the kind."""
    if kind == "home":
        return "GET", "/", None, None, 0
    if kind == "impact":
        return "GET", f"/api/v1/impact?region={rng.choice(plan['regions'])}", None, None, 0
    if kind == "breakdown":
        return ("GET", "/api/v1/impact/breakdown?by=month&metric=volunteer_hours", None, None, 0)
    if kind == "wishes":
        return "GET", "/wishes", None, None, 0
    teams = plan["teams"]
    team = teams[posts % len(teams)]
    round_ = posts // len(teams)
    if round_ >= days:
        raise OverflowError("no unused date left for this client")
    # interleaved: every client posts about the same recent weeks (and so the same rollup
    # cells), yet no two posts of the run share a team and a date
    day = LAST_POST_DAY - timedelta(days=round_ * clients + client)
    volunteers = team["volunteers"]
    count = min(LINES_PER_POST, len(volunteers))
    chosen = [volunteers[(round_ * count + i) % len(volunteers)] for i in range(count)]
    chosen = list(dict.fromkeys(chosen))
    body = {"team_id": team["team_id"], "date": day.isoformat(), "start_time": "09:00",
            "end_time": "12:00", "title": f"压测活动 {client}-{posts}",
            "category": CATEGORIES[posts % len(CATEGORIES)],
            "village_code": plan["villages"][posts % len(plan["villages"])],
            "hours": [{"volunteer_id": v, "hours": HOURS_PER_LINE} for v in chosen],
            "beneficiary_member_ids": [], "extra_beneficiaries": 2, "need_ids": []}
    return "POST", "/api/v1/activities", body, team["token"], len(chosen)


def client_thread(client: int, job: dict, out: dict) -> None:
    rng = random.Random(job["seed"] * 10_007 + client)
    kinds, weights = zip(*job["mix"].items())
    latencies = defaultdict(list)
    statuses = defaultdict(Counter)
    failures = []
    created = []
    lines = 0
    posts = 0
    ends = []
    connection = http.client.HTTPConnection(HOST, job["port"], timeout=REQUEST_TIMEOUT_S)
    time.sleep(max(0.0, job["start_at"] - time.time()))
    for _ in range(job["quota"]):
        if time.time() >= job["deadline"]:
            break
        kind = rng.choices(kinds, weights)[0]
        try:
            method, path, body, token, post_lines = build(
                kind, rng, job["plan"], client, posts, job["days"], job["connections"])
        except OverflowError:
            break
        if kind == "post":
            posts += 1
        began = time.perf_counter()
        try:
            status, payload = request(job["port"], method, path, body, token, connection)
        except (OSError, http.client.HTTPException) as exc:
            status, payload = f"{type(exc).__name__}", b""
            connection.close()
        latencies[kind].append(time.perf_counter() - began)
        ends.append(time.time())
        statuses[kind][status] += 1
        expected = 201 if kind == "post" else 200
        if status != expected:
            if len(failures) < 20:
                failures.append({"kind": kind, "status": status, "path": path,
                                 "body": payload[:300].decode("utf-8", "replace")})
        elif kind == "post":
            created.append(json.loads(payload)["id"])
            lines += post_lines
    connection.close()
    out[client] = {"latencies": dict(latencies), "statuses": dict(statuses),
                   "failures": failures, "created": created, "lines": lines,
                   "last_end": max(ends, default=job["start_at"])}


def client_process(job: dict) -> dict:
    """A few client threads in one process (so that no more than a few share one GIL)."""
    out: dict = {}
    threads = [threading.Thread(target=client_thread, args=(client, job, out))
               for client in job["clients"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    merged = {"latencies": defaultdict(list), "statuses": defaultdict(Counter), "failures": [],
              "created": [], "lines": 0, "last_end": 0.0, "cpu_s": time.process_time()}
    for result in out.values():
        for kind, values in result["latencies"].items():
            merged["latencies"][kind].extend(values)
        for kind, counts in result["statuses"].items():
            merged["statuses"][kind].update(counts)
        merged["failures"].extend(result["failures"])
        merged["created"].extend(result["created"])
        merged["lines"] += result["lines"]
        merged["last_end"] = max(merged["last_end"], result["last_end"])
    merged["latencies"] = dict(merged["latencies"])
    merged["statuses"] = {k: dict(v) for k, v in merged["statuses"].items()}
    return merged


# -- CPU accounting: how much of the machine was ours ----------------------------------------------

def cpu_busy() -> tuple[float, float]:
    """(busy, total) seconds of all CPUs since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / tick, sum(fields[:8]) / tick


def process_cpu() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds) of every process we can read."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            text = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        rest = text[text.rindex(")") + 2:].split()
        found[int(entry.name)] = (int(rest[1]), (int(rest[11]) + int(rest[12])) / tick)
    return found


def backend_pids(url: str) -> set[int]:
    if not url.startswith("postgresql"):
        return set()
    admin = sa.create_engine(ADMIN_URL)
    with admin.connect() as connection:
        pids = set(connection.scalars(sa.text(
            "SELECT pid FROM pg_stat_activity WHERE datname = :name"), {"name": BENCH_DB}))
    admin.dispose()
    return pids


def deadlocks(url: str) -> int | None:
    if not url.startswith("postgresql"):
        return None
    admin = sa.create_engine(ADMIN_URL)
    with admin.connect() as connection:
        found = connection.scalar(sa.text(
            "SELECT deadlocks FROM pg_stat_database WHERE datname = :name"), {"name": BENCH_DB})
    admin.dispose()
    return found


# -- one run -------------------------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float | None:
    """Nearest rank."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def warm_up(port: int, plan: dict, workers: int) -> None:
    """A few reads of each kind, so that no worker's first template compile is timed."""
    for _ in range(2 * workers):
        for kind in ("home", "impact", "breakdown", "wishes"):
            method, path, *_ = build(kind, random.Random(0), plan, 0, 0, 1)
            request(port, method, path)


def one_run(args, number: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="mm-load-bench-"))
    url = fresh_database(args.database, folder)
    env = environment(url, folder)
    started = time.monotonic()
    seed(env)
    seeded_s = time.monotonic() - started
    port = args.port or free_port()
    log = folder / "gunicorn.log"
    server = start_server(env, args.workers, port, log)
    try:
        plan = plan_of(port)
        warm_up(port, plan, args.workers)
        before = database_counts(url)
        mix = dict(item.split("=") for item in args.mix.split(","))
        mix = {kind: float(weight) for kind, weight in mix.items() if float(weight) > 0}
        unknown = set(mix) - set(KINDS)
        if unknown:
            raise SystemExit(f"unknown kinds in --mix: {sorted(unknown)}")
        quota = math.ceil(args.max_requests / args.connections)
        days = quota // len(plan["teams"]) + 1
        processes = min(args.processes, args.connections)
        clients = [list(range(args.connections))[i::processes] for i in range(processes)]
        start_at = time.time() + 1.0
        jobs = [{"port": port, "plan": plan, "mix": mix, "seed": number, "quota": quota,
                 "connections": args.connections,
                 "days": days, "clients": group, "start_at": start_at,
                 "deadline": start_at + args.duration} for group in clients]
        context = multiprocessing.get_context("fork")
        with context.Pool(processes) as pool:
            pending = pool.map_async(client_process, jobs)
            time.sleep(max(0.0, start_at - time.time()))
            load_before = os.getloadavg()
            cpu_before, procs_before = cpu_busy(), process_cpu()
            results = pending.get(timeout=args.duration + 3 * REQUEST_TIMEOUT_S)
            cpu_after, procs_after = cpu_busy(), process_cpu()
            load_after = os.getloadavg()
            pids_db = backend_pids(url)
        server_pids = {pid for pid, (parent, _) in procs_after.items()
                       if pid == server.pid or parent == server.pid}
        dead = deadlocks(url)
    finally:
        stop_server(server)
    after = database_counts(url)
    rows = new_activities(url, before["max_id"])
    log_text = log.read_text(errors="replace")
    drop_database(args.database)
    shutil.rmtree(folder, ignore_errors=True)

    elapsed = max(r["last_end"] for r in results) - start_at
    latencies = defaultdict(list)
    statuses = defaultdict(Counter)
    for result in results:
        for kind, values in result["latencies"].items():
            latencies[kind].extend(values)
        for kind, counts in result["statuses"].items():
            statuses[kind].update(counts)
    created = [i for r in results for i in r["created"]]
    lines = sum(r["lines"] for r in results)

    def used(pids):
        return sum(procs_after[p][1] - procs_before.get(p, (0, 0.0))[1]
                   for p in pids if p in procs_after)

    window = cpu_after[1] - cpu_before[1]
    busy = cpu_after[0] - cpu_before[0]
    ours = {"gunicorn": used(server_pids), "postgres backends": used(pids_db),
            "client": sum(r["cpu_s"] for r in results)}
    server_cpu = ours["gunicorn"] + ours["postgres backends"]
    kinds = {}
    for kind in KINDS:
        if kind not in latencies:
            continue
        values = latencies[kind]
        expected = 201 if kind == "post" else 200
        kinds[kind] = {"requests": len(values), "rps": len(values) / elapsed,
                       "p50_ms": 1000 * percentile(values, 50),
                       "p99_ms": 1000 * percentile(values, 99),
                       "errors": sum(n for s, n in statuses[kind].items() if s != expected),
                       "statuses": {str(s): n for s, n in statuses[kind].items()}}
    total = sum(k["requests"] for k in kinds.values())
    all_values = [v for values in latencies.values() for v in values]
    return {
        "run": number, "database": args.database, "workers": args.workers,
        "connections": args.connections, "seed_s": round(seeded_s, 1),
        "elapsed_s": elapsed, "requests": total, "rps": total / elapsed,
        "p50_ms": 1000 * percentile(all_values, 50), "p99_ms": 1000 * percentile(all_values, 99),
        "errors": sum(k["errors"] for k in kinds.values()), "kinds": kinds,
        "failures": [f for r in results for f in r["failures"]][:20],
        "posted_201": len(created), "posted_lines": lines,
        "counted_activities": after["activities"] - before["activities"],
        "counted_lines": after["hour_lines"] - before["hour_lines"],
        "ids_match": sorted(created) == sorted(rows) and len(set(created)) == len(created),
        "lines_match": sum(rows.values()) == lines,
        "deadlocks": dead,
        "server_log_errors": sum(1 for line in log_text.splitlines()
                                 if "Traceback" in line or "[ERROR]" in line
                                 or "WORKER TIMEOUT" in line),
        "cpu": {"cores": os.cpu_count(), "window_s": window / (os.cpu_count() or 1),
                "server_ms_per_request": 1000 * server_cpu / total if total else None,
                "busy_fraction": busy / window if window else None,
                **{name: seconds for name, seconds in ours.items()},
                "others": busy - sum(ours.values())},
        "loadavg_before": load_before, "loadavg_after": load_after,
    }


# -- reporting -----------------------------------------------------------------------------------

def show(run: dict) -> None:
    cpu = run["cpu"]
    print(f"run {run['run']}: {run['requests']} requests in {run['elapsed_s']:.1f} s = "
          f"{run['rps']:.1f}/s, p50 {run['p50_ms']:.0f} ms, p99 {run['p99_ms']:.0f} ms, "
          f"errors {run['errors']}")
    for kind, k in run["kinds"].items():
        print(f"  {kind:9} {k['requests']:6} req {k['rps']:7.1f}/s  p50 {k['p50_ms']:7.1f} ms  "
              f"p99 {k['p99_ms']:7.1f} ms  errors {k['errors']}  {k['statuses']}")
    print(f"  records: {run['posted_201']} posts answered 201 ({run['posted_lines']} hour lines);"
          f" database gained {run['counted_activities']} activities and "
          f"{run['counted_lines']} hour lines; ids match: {run['ids_match']}, "
          f"lines match: {run['lines_match']}; deadlocks: {run['deadlocks']}; "
          f"server log errors: {run['server_log_errors']}")
    print(f"  CPU over the run ({cpu['cores']} cores): {100 * cpu['busy_fraction']:.0f}% busy; "
          f"gunicorn {cpu['gunicorn']:.1f} s, postgres backends {cpu['postgres backends']:.1f} s, "
          f"client {cpu['client']:.1f} s, everything else {cpu['others']:.1f} s "
          f"of {cpu['window_s'] * cpu['cores']:.1f} CPU-s; server CPU "
          f"{cpu['server_ms_per_request']:.0f} ms per request; load average "
          f"{run['loadavg_before'][0]:.2f} → {run['loadavg_after'][0]:.2f}")
    for failure in run["failures"][:5]:
        print(f"  failure: {failure}")


def summary(runs: list[dict], args) -> dict:
    def median(values):
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    kinds = {}
    for kind in KINDS:
        per = [r["kinds"][kind] for r in runs if kind in r["kinds"]]
        if per:
            kinds[kind] = {name: median([k[name] for k in per])
                           for name in ("rps", "p50_ms", "p99_ms")}
            kinds[kind]["errors"] = sum(k["errors"] for k in per)
    return {"runs": len(runs), "rps": median([r["rps"] for r in runs]),
            "p50_ms": median([r["p50_ms"] for r in runs]),
            "p99_ms": median([r["p99_ms"] for r in runs]),
            "errors": sum(r["errors"] for r in runs), "kinds": kinds,
            "posted_201": [r["posted_201"] for r in runs],
            "counted_activities": [r["counted_activities"] for r in runs],
            "posted_lines": [r["posted_lines"] for r in runs],
            "counted_lines": [r["counted_lines"] for r in runs],
            "all_match": all(r["ids_match"] and r["lines_match"]
                             and r["posted_201"] == r["counted_activities"] for r in runs),
            "busy_fraction": median([r["cpu"]["busy_fraction"] for r in runs]),
            "others_cpu_s": median([r["cpu"]["others"] for r in runs]),
            "server_ms_per_request": median([r["cpu"]["server_ms_per_request"] for r in runs]),
            "loadavg": median([r["loadavg_after"][0] for r in runs])}


def show_summary(total: dict, args) -> None:
    print(f"\nmedian of {total['runs']} runs ({args.database}, gunicorn -w {args.workers}, "
          f"{args.connections} connections, {args.duration:g} s): {total['rps']:.1f} requests/s, "
          f"p50 {total['p50_ms']:.0f} ms, p99 {total['p99_ms']:.0f} ms, errors {total['errors']}")
    cells = []
    for kind, k in total["kinds"].items():
        print(f"  {kind:9} {k['rps']:7.1f}/s  p50 {k['p50_ms']:7.1f} ms  p99 {k['p99_ms']:7.1f} ms"
              f"  errors {k['errors']}")
        cells.append(f"{kind} {k['p50_ms']:.0f}/{k['p99_ms']:.0f}")
    print(f"  posts 201 vs activities counted: {total['posted_201']} vs "
          f"{total['counted_activities']}; hour lines {total['posted_lines']} vs "
          f"{total['counted_lines']}; all match: {total['all_match']}")
    print(f"  machine: {100 * total['busy_fraction']:.0f}% busy, other processes used "
          f"{total['others_cpu_s']:.1f} CPU-s per run, load average {total['loadavg']:.1f}; "
          f"server CPU (gunicorn + database backends) {total['server_ms_per_request']:.0f} ms "
          f"per request")
    print("\nREADME row: | load, " + args.database + " | `.venv/bin/python bench/load.py "
          f"--database {args.database} --workers {args.workers} --connections "
          f"{args.connections} --duration {args.duration:g}"
          + (f" --commit {args.commit}" if args.commit else "")
          + f"` | **{total['rps']:.1f} requests/s**;"
          f" p50/p99 ms: {', '.join(cells)}; errors {total['errors']}; records posted/counted "
          f"{'/'.join(map(str, total['posted_201']))} vs "
          f"{'/'.join(map(str, total['counted_activities']))} (median of {total['runs']}) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=16, help="closed-loop clients")
    parser.add_argument("--processes", type=int, default=4, help="client processes")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--max-requests", type=int, default=20_000, help="requests at most")
    parser.add_argument("--mix", default=DEFAULT_MIX, help="kind=weight,...")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=0, help="on 127.0.0.1; 0 picks a free one")
    parser.add_argument("--json", type=Path, help="write every run's figures here")
    parser.add_argument("--commit", help="serve this commit (exported to a temporary folder) "
                        "rather than the working tree, which others may be editing")
    args = parser.parse_args()
    global TREE
    export = None
    if args.commit:
        export = Path(tempfile.mkdtemp(prefix="mm-load-tree-"))
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.commit],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(export)], input=archive, check=True)
        TREE = export
    print(f"serving {describe(args.commit)} from {TREE}; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores")
    runs = []
    for number in range(1, args.runs + 1):
        run = one_run(args, number)
        show(run)
        runs.append(run)
    total = summary(runs, args)
    show_summary(total, args)
    if args.json:
        args.json.write_text(json.dumps({"code": describe(args.commit), "runs": runs,
                                         "median": total}, indent=1, default=str,
                                        ensure_ascii=False))
    if export:
        shutil.rmtree(export, ignore_errors=True)


def describe(commit: str | None) -> str:
    def git(*words):
        return subprocess.run(["git", "-C", str(ROOT), *words], capture_output=True,
                              text=True).stdout.strip()
    if commit:
        return f"commit {git('rev-parse', '--short', commit)}"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"the working tree at {git('rev-parse', '--short', 'HEAD')}" + (
        " with uncommitted changes" if dirty else "")


if __name__ == "__main__":
    main()
