"""``lapor-server``: run, seed and animate the reference server; connect the hub upstream."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

DEFAULT_DB = "sqlite:///lapor-server.db"
# How `run --workers N` hands its arguments to each worker process's app factory.
_ENV_DB, _ENV_UPSTREAM = "LAPOR_SERVER_DB", "LAPOR_SERVER_UPSTREAM"
_ENV_PROXIES = "LAPOR_SERVER_TRUSTED_PROXIES"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lapor-server", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="serve the sync API")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8080)
    run.add_argument(
        "--db", default=DEFAULT_DB, help="SQLAlchemy URL (sqlite:///... or postgresql://...)"
    )
    run.add_argument(
        "--upstream",
        metavar="PROFILE",
        help="run as a hub connected to SP4N-LAPOR! with this profile (docs/OPERATOR.md)",
    )
    run.add_argument("--workers", type=int, default=1, help="server worker processes")
    run.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="a reverse proxy (address or CIDR) whose X-Forwarded-For names the client; "
        "repeatable (docs/OPERATOR.md)",
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
    _upstream_commands(commands)
    args = parser.parse_args(argv)
    if args.command == "run":
        return _run(args)
    if args.command == "seed":
        return _seed(args)
    if args.command == "upstream":
        return int(args.handler(args))
    return _simulate(args)


def _upstream_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    upstream = commands.add_parser("upstream", help="the hub's road to SP4N-LAPOR!")
    verbs = upstream.add_subparsers(dest="verb", required=True)
    check = verbs.add_parser(
        "check", help="probe every read route of the upstream and say what matched"
    )
    check.add_argument("--profile", required=True, help="the deployment's profile file")
    check.add_argument("--complaint-id", type=int, help="a complaint to read in full")
    check.add_argument("--base-url", help="another base URL than the profile's (a sandbox)")
    check.set_defaults(handler=_upstream_check)
    status = verbs.add_parser("status", help="what the hub owes SP4N-LAPOR!, and what it holds")
    status.add_argument("--db", default=DEFAULT_DB)
    status.set_defaults(handler=_upstream_status)
    retry = verbs.add_parser("retry", help="put failed upstream jobs back in line")
    retry.add_argument("--db", default=DEFAULT_DB)
    retry.add_argument("jobs", nargs="*", help="job ids (default: every failed job)")
    retry.set_defaults(handler=_upstream_retry)
    simulate = verbs.add_parser("simulate", help="serve a LAPOR! v3 simulator on loopback")
    simulate.add_argument("--host", default="127.0.0.1")
    simulate.add_argument("--port", type=int, default=8090)
    simulate.add_argument("--complaints", type=int, default=50)
    simulate.add_argument("--seed", type=int, default=2026)
    simulate.set_defaults(handler=_upstream_simulate)


def _upstream_check(args: argparse.Namespace) -> int:
    from server.upstream.check import check
    from server.upstream.lapor_v3 import LaporV3
    from server.upstream.profile import ProfileError, load_profile

    try:
        profile = load_profile(args.profile)
        connector = LaporV3(profile, profile.credentials(), base_url=args.base_url)
    except ProfileError as exc:
        print(f"lapor-server upstream check: {exc}", file=sys.stderr)
        return 2
    return 0 if check(connector, sys.stdout, args.complaint_id).ok else 1


def _upstream_status(args: argparse.Namespace) -> int:
    from server.db import Database
    from server.upstream.status import print_status

    return print_status(Database(args.db), sys.stdout)


def _upstream_retry(args: argparse.Namespace) -> int:
    from server.db import Database
    from server.upstream.status import retry_failed

    print(f"{retry_failed(Database(args.db), args.jobs)} job(s) back in line")
    return 0


def _upstream_simulate(args: argparse.Namespace) -> int:
    from server.upstream.simulator import serve

    serve(args.host, args.port, complaints=args.complaints, seed=args.seed)
    return 0


def _run(args: argparse.Namespace) -> int:
    import uvicorn

    from server.clientaddress import TrustedProxies

    try:
        TrustedProxies.parse(args.trusted_proxy)
    except ValueError as exc:
        print(f"lapor-server run: --trusted-proxy: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    os.environ[_ENV_DB] = args.db
    os.environ[_ENV_PROXIES] = ",".join(args.trusted_proxy)
    from server.db import Database

    Database(args.db).create_all()  # once, not racing in every worker
    if args.upstream:
        os.environ[_ENV_UPSTREAM] = args.upstream
        try:  # a profile that cannot work is a sentence now, not a traceback per worker
            from server.upstream.hub import Hub

            Hub.from_file(args.upstream)
        except ValueError as exc:
            print(f"lapor-server run: {exc}", file=sys.stderr)
            return 2
    uvicorn.run(
        "server.cli:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        date_header=False,
        server_header=False,
        # The app reads X-Forwarded-For itself, from --trusted-proxy peers only.
        proxy_headers=False,
    )
    return 0


def app_from_env() -> FastAPI:
    """The app of one worker process of ``lapor-server run``."""
    from server.app import create_app
    from server.upstream.hub import Hub

    profile = os.environ.get(_ENV_UPSTREAM)
    hub = Hub.from_file(profile) if profile else None
    proxies = tuple(p for p in os.environ.get(_ENV_PROXIES, "").split(",") if p)
    return create_app(
        os.environ[_ENV_DB], create_schema=False, upstream=hub, trusted_proxies=proxies
    )


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
