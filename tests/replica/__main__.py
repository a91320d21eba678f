"""Serve the replica until Ctrl-C; prints the base URL on the first line."""

from __future__ import annotations

import argparse
import sys
import threading

from tests.replica.config import SOURCES, THEMES, ReplicaConfig
from tests.replica.server import ReplicaServer


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.replica", description=__doc__)
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--theme", choices=THEMES, default="classic")
    parser.add_argument("--prefix", default=None, help="e.g. /blog/ (default: the theme's)")
    parser.add_argument("--off", default="", help=f"comma list of {','.join(SOURCES)}")
    parser.add_argument("--posts", type=int, default=None, help="serve exactly N posts")
    parser.add_argument("--edition", type=int, default=1, choices=(1, 2))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    config = ReplicaConfig(
        theme=args.theme,
        prefix=args.prefix,
        edition=args.edition,
        n_posts=args.posts,
        sources_off={s for s in args.off.split(",") if s},
    )
    server = ReplicaServer(config, port=args.port).start()
    sys.stdout.write(server.base_url + "\n")
    sys.stdout.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
