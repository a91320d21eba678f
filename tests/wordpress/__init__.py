"""A real WordPress for the tests: Debian's ``wordpress`` package (6.1) with its three
default themes and German language files, on MariaDB, served by ``php -S``.

One MariaDB server (its own data directory and socket, no TCP) holds one database per
site; each site is installed with ``wp_install``, loaded with the fixture's content
through WordPress's PHP API and served on its own loopback port.  What the tests
expect comes from WordPress afterwards (:meth:`WordPressSite.truth`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from tests.wordpress.content import content

PHP_DIR = Path(__file__).with_name("php")
WORDPRESS = Path("/usr/share/wordpress")
CONFIG_DIR = Path("/etc/wordpress")
PACKAGES = (
    "wordpress wordpress-l10n wordpress-theme-twentytwentyone wordpress-theme-twentytwentytwo"
    " wordpress-theme-twentytwentythree php-cli php-mysql php-xml php-mbstring php-gd"
    " mariadb-server"
)
#: Each default theme with a permalink structure of its own.
PERMALINKS = {
    "twentytwentyone": "/%year%/%monthnum%/%day%/%postname%/",
    "twentytwentytwo": "/%postname%/",
    "twentytwentythree": "/%category%/%postname%/",
}
#: Must-use plugins of the variants: REST for logged-in users only (as hardened corporate
#: sites do), and no feeds either, which leaves the sitemap as the only index.
VARIANTS: dict[str, tuple[str, ...]] = {
    "": (),
    "rest-private": ("rest-private.php",),
    "sitemap-only": ("rest-private.php", "no-feeds.php"),
}
BLOG = {"name": "Technik-Blog der Beispiel GmbH", "description": "Neues aus IT und Verwaltung",
        "language": "de_DE"}  # fmt: skip


def missing() -> str | None:
    """Why a real WordPress cannot run on this machine, or None when it can."""
    needs = ["php", "mariadbd", "mariadb-install-db", "mariadb"]
    absent = [name for name in needs if shutil.which(name) is None]
    files = [WORDPRESS / "wp-load.php", *(WORDPRESS / "wp-content/themes" / t for t in PERMALINKS)]
    absent += [str(f) for f in files if not f.exists()]
    if absent:
        return f"needs {', '.join(absent)}: apt-get install {PACKAGES}"
    if not os.access(CONFIG_DIR, os.W_OK):
        return f"needs write access to {CONFIG_DIR} (Debian's wp-config.php reads it): run as root"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(
    answers: Callable[[], bool], process: subprocess.Popen[bytes], what: str, seconds: float = 30
) -> None:
    """Poll until a server just started answers; fail at once if it died."""
    deadline = time.monotonic() + seconds
    while not answers():
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(f"did not start: {what}")
        time.sleep(0.1)


class MariaDB:
    """A private MariaDB server: data directory and socket under ``root``, no networking."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.socket = root / "mysqld.sock"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> MariaDB:
        data = self.root / "data"
        subprocess.run(
            ["mariadb-install-db", "--no-defaults", f"--datadir={data}", "--user=root",
             "--auth-root-authentication-method=normal", "--skip-test-db"],
            check=True, capture_output=True,
        )  # fmt: skip
        self.process = subprocess.Popen(
            ["mariadbd", "--no-defaults", f"--datadir={data}", f"--socket={self.socket}",
             "--skip-networking", "--user=root", f"--pid-file={self.root / 'mysqld.pid'}",
             f"--log-error={self.root / 'mysqld.err'}", "--innodb-flush-log-at-trx-commit=0",
             "--skip-log-bin"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_for(self._answers, self.process, f"MariaDB: see {self.root / 'mysqld.err'}")
        return self

    def _answers(self) -> bool:
        return self.sql("SELECT 1", check=False).returncode == 0

    def sql(self, statement: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["mariadb", "--no-defaults", f"--socket={self.socket}", "-uroot", "-e", statement],
            check=check, capture_output=True, text=True,
        )  # fmt: skip

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)


@dataclass
class WordPressSite:
    """One WordPress site: a theme, a variant, a database and a port."""

    db: MariaDB
    root: Path
    theme: str
    variant: str = ""
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def name(self) -> str:
        return "-".join(filter(None, ("ba", self.theme, self.variant, str(self.port))))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def config_file(self) -> Path:
        return CONFIG_DIR / f"config-{self.name}.php"

    @property
    def content_dir(self) -> Path:
        return self.root / self.name

    def _env(self) -> dict[str, str]:
        return os.environ | {
            "BA_WP_CONFIG": self.name,
            "BA_WP_HOST": f"127.0.0.1:{self.port}",
            "BA_WP_CONTENT": str(self.content_dir),
            "PHP_CLI_SERVER_WORKERS": "4",
        }

    def install(self) -> WordPressSite:
        """Database, config, content directory, ``wp_install`` and the content."""
        self.port = self.port or free_port()
        database = self.name.replace("-", "_")
        self.db.sql(f"CREATE DATABASE {database} CHARACTER SET utf8mb4")
        self._write_config(database)
        self._make_content_dir()
        data = content() | {
            "blog": BLOG | {"theme": self.theme, "permalink": PERMALINKS[self.theme]}
        }
        source = self.root / f"{self.name}.json"
        source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        self._php("setup.php", str(source))
        return self

    def _write_config(self, database: str) -> None:
        url = self.base_url.rstrip("/")
        self.config_file.write_text(
            "<?php\n"
            f"define('DB_NAME', '{database}');\ndefine('DB_USER', 'root');\n"
            f"define('DB_PASSWORD', '');\ndefine('DB_HOST', 'localhost:{self.db.socket}');\n"
            f"define('WP_HOME', '{url}');\ndefine('WP_SITEURL', '{url}');\n"
            f"define('WP_CONTENT_DIR', '{self.content_dir}');\n"
            f"define('WP_CONTENT_URL', '{url}/wp-content');\n"
            "define('DISABLE_WP_CRON', true);\ndefine('AUTOMATIC_UPDATER_DISABLED', true);\n"
            "define('WP_HTTP_BLOCK_EXTERNAL', true);\ndefine('WP_DEBUG', false);\n"
            "$table_prefix = 'wp_';\n",
            encoding="utf-8",
        )

    def _make_content_dir(self) -> None:
        content_dir = self.content_dir
        for name in ("uploads", "plugins", "mu-plugins"):
            (content_dir / name).mkdir(parents=True, exist_ok=True)
        for name in ("themes", "languages"):
            (content_dir / name).symlink_to(WORDPRESS / "wp-content" / name)
        for plugin in ("related-box.php", *VARIANTS[self.variant]):
            shutil.copy(PHP_DIR / "mu-plugins" / plugin, content_dir / "mu-plugins" / plugin)

    def _php(self, script: str, *args: str) -> str:
        result = subprocess.run(
            ["php", str(PHP_DIR / script), *args],
            env=self._env(), capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"php {script} failed: {result.stderr or result.stdout}")
        return result.stdout

    def start(self) -> WordPressSite:
        log = self.root / f"{self.name}.log"
        with log.open("wb") as stream:
            self.process = subprocess.Popen(
                ["php", "-S", f"127.0.0.1:{self.port}", "-t", str(WORDPRESS),
                 str(PHP_DIR / "router.php")],
                env=self._env(), stdout=stream, stderr=subprocess.STDOUT,
                start_new_session=True,  # its workers share the group, and stop with it
            )  # fmt: skip
        _wait_for(self._answers, self.process, f"php -S: see {log}")
        return self

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.base_url + "robots.txt", timeout=5) as reply:
                return bool(reply.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    @cached_property
    def truth(self) -> dict[str, Any]:
        """What WordPress says of every published post (see ``php/truth.php``)."""
        return dict(json.loads(self._php("truth.php")))

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # PHP_CLI_SERVER_WORKERS fork
            self.process.wait(10)
        self.config_file.unlink(missing_ok=True)


class WordPress:
    """The session's WordPress: one MariaDB, sites installed on first use and kept."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.db = MariaDB(root / "mariadb")
        self.sites: dict[tuple[str, str], WordPressSite] = {}

    def start(self) -> WordPress:
        self.db.root.mkdir(parents=True, exist_ok=True)
        self.db.start()
        return self

    def site(self, theme: str, variant: str = "", port: int = 0) -> WordPressSite:
        key = (theme, variant)
        if key not in self.sites:
            site = WordPressSite(self.db, self.root, theme, variant, port)
            self.sites[key] = site.install().start()
        return self.sites[key]

    def stop(self) -> None:
        for site in self.sites.values():
            site.stop()
        self.db.stop()
