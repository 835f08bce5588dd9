"""Serve an already seeded reference server database from its own process.

A bench's client and the server it syncs from are different machines in
life; in one process they would share one interpreter lock, and the
server's work (its queries, its JSON) would be charged to the client.
``bench.common.seeded_server`` seeds in process, then serves from here:
this prints the server's root URL and serves until its stdin closes.
"""

from __future__ import annotations

import sys


def main() -> int:
    from server.inprocess import start_server

    server = start_server(sys.argv[1], seed=False, rate_limit=None)
    print(server.url, flush=True)
    try:
        sys.stdin.read()  # the bench closes it (or dies): time to stop
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
