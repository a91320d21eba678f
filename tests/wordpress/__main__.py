"""Serve the real WordPress fixture by hand, to look at what a theme really prints:

    .venv/bin/python -m tests.wordpress --theme twentytwentythree --port 8080

installs the site (about five seconds), prints its URL and serves until Ctrl-C.
Needs Debian's packages (see ``tests.wordpress.PACKAGES``) and root.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from pathlib import Path

from tests.wordpress import PERMALINKS, VARIANTS, WordPress, missing


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.wordpress", description=__doc__)
    parser.add_argument("--theme", choices=sorted(PERMALINKS), default="twentytwentyone")
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()
    if why := missing():
        print(f"error: real WordPress {why}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop cleanly on kill too
    with tempfile.TemporaryDirectory(prefix="wordpress-") as root:
        wordpress = WordPress(Path(root)).start()
        try:
            site = wordpress.site(args.theme, args.variant, port=args.port)
            print(f"{args.theme} serving at {site.base_url} (Ctrl-C stops)", flush=True)
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0
        finally:
            wordpress.stop()


if __name__ == "__main__":
    sys.exit(main())
