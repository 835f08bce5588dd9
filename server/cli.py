"""``lapor-server``: run, seed and (later) simulate the reference server."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

DEFAULT_DB = "sqlite:///lapor-server.db"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lapor-server", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="serve the sync API")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8080)
    run.add_argument(
        "--db", default=DEFAULT_DB, help="SQLAlchemy URL (sqlite:///... or postgresql://...)"
    )
    seed = commands.add_parser("seed", help="fill an empty database with demo data")
    seed.add_argument("--db", default=DEFAULT_DB)
    seed.add_argument("--offices", type=int, default=2)
    seed.add_argument("--complaints", type=int, default=200)
    seed.add_argument("--seed", type=int, default=2026, help="random seed")
    simulate = commands.add_parser("simulate", help="the national side at work")
    simulate.add_argument("--db", default=DEFAULT_DB)
    simulate.add_argument("--steps", type=int, default=0, help="how many actions (0: until Ctrl+C)")
    simulate.add_argument("--pace", type=float, default=2.0, help="seconds between actions")
    simulate.add_argument("--seed", type=int, default=1, help="random seed")
    args = parser.parse_args(argv)
    if args.command == "run":
        return _run(args)
    if args.command == "seed":
        return _seed(args)
    return _simulate(args)


def _run(args: argparse.Namespace) -> int:
    import uvicorn

    from server.app import create_app

    app = create_app(args.db)
    uvicorn.run(app, host=args.host, port=args.port, date_header=False, server_header=False)
    return 0


def _seed(args: argparse.Namespace) -> int:
    from server.db import Database
    from server.seed import iter_users, seed

    db = Database(args.db)
    db.create_all()
    started = time.monotonic()
    try:
        report = seed(db, offices=args.offices, complaints=args.complaints, seed=args.seed)
    except ValueError as exc:
        print(f"lapor-server seed: {exc}", file=sys.stderr)
        return 1
    took = time.monotonic() - started
    print(f"{report.complaints} complaints in {len(report.offices)} offices ({took:.1f} s).")
    print("Demo users (office, role, username, password):")
    for line in iter_users(report):
        print("  " + line)
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from server.db import Database
    from server.simulate import Simulator

    simulator = Simulator(Database(args.db), seed=args.seed)
    done = 0
    try:
        while args.steps == 0 or done < args.steps:
            print(simulator.step(), flush=True)
            done += 1
            if args.steps == 0 or done < args.steps:
                time.sleep(args.pace)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
