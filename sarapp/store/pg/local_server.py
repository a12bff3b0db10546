"""A private PostgreSQL server in a folder of its own: for the tests, the benchmarks, and for
trying a server desk on one computer.

It listens on a Unix socket in its folder only (no TCP port), trusts whoever can reach that
folder (mode 0700: its owner and root), and is stopped and removed with ``stop``. initdb and
the server refuse to run as root, so under root (CI) they run as an unprivileged user
(``postgres`` by default, ``$SARAPP_PG_USER`` otherwise) through ``runuser``.

Fast settings (no fsync, asynchronous commit) are for tests that do not measure durability;
``durable=True`` keeps PostgreSQL's defaults, for tests that stop the server with
``pg_ctl stop -m immediate`` and count what survived.
"""

from __future__ import annotations

import atexit
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sarapp.errors import SarappError

SUPERUSER = "postgres"
_FAST = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class LocalServerError(SarappError):
    """The throwaway server cannot be set up or started; the message says why."""


def find_bindir() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: ``$SARAPP_PG_BINDIR``, the newest Debian
    ``/usr/lib/postgresql/N/bin``, then the PATH (other systems install them there)."""
    named = os.environ.get("SARAPP_PG_BINDIR")
    if named:
        return Path(named) if (Path(named) / "initdb").is_file() else None
    debian = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").is_file()]
    if debian:
        return max(debian, key=lambda p: _version_key(p.parent.name))
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (0,)


@dataclass
class LocalServer:
    """A running throwaway server; ``conninfo(dbname)`` reaches one of its databases."""

    folder: Path
    bindir: Path
    run_as: str | None  # the unprivileged user the server runs as, when we are root
    durable: bool
    _running: bool = field(default=False, repr=False)

    @classmethod
    def start(cls, *, durable: bool = False, bindir: Path | None = None) -> LocalServer:
        """initdb in a new temporary folder and start the server (about a second)."""
        bindir = bindir or find_bindir()
        if bindir is None:
            raise LocalServerError(
                "PostgreSQL server programs (initdb, pg_ctl) not found: install Debian's "
                "postgresql package, or set SARAPP_PG_BINDIR to their folder"
            )
        run_as = _unprivileged_user() if os.geteuid() == 0 else None
        folder = Path(tempfile.mkdtemp(prefix="sarapp-pg-"))
        if run_as:
            entry = pwd.getpwnam(run_as)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        server = cls(folder=folder, bindir=bindir, run_as=run_as, durable=durable)
        try:
            server._initdb()
            server._run("pg_ctl", "-D", str(server.data), "-l", str(server.logfile), "-w",
                        "-s", "start")  # fmt: skip
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        server._running = True
        atexit.register(server.stop)
        return server

    @classmethod
    def standby_of(cls, primary: LocalServer, *, name: str = "standby1") -> LocalServer:
        """A streaming-replication standby of ``primary`` in a folder of its own, started, and
        made the primary's synchronous standby with ``synchronous_commit = remote_apply``: a
        commit is acknowledged once the standby has applied it, so an acknowledged entry is on
        both servers (``docs/multi-desk.md``, "A standby server")."""
        folder = Path(tempfile.mkdtemp(prefix="sarapp-pg-standby-"))
        if primary.run_as:
            entry = pwd.getpwnam(primary.run_as)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        server = cls(folder=folder, bindir=primary.bindir, run_as=primary.run_as,
                     durable=primary.durable)  # fmt: skip
        source = f"host={primary.folder} user={SUPERUSER} application_name={name}"
        try:
            server._run("pg_basebackup", "-D", str(server.data), "-d", source, "-X", "stream",
                        "-R", "-c", "fast", "--no-sync")  # fmt: skip
            with (server.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
                conf.write(f"\n# standby of {primary.folder}\n")
                conf.write(f"unix_socket_directories = '{folder}'\n")
            with (server.data / "postgresql.auto.conf").open("a", encoding="utf-8") as conf:
                conf.write(f"primary_conninfo = '{source}'\n")
            server._run("pg_ctl", "-D", str(server.data), "-l", str(server.logfile), "-w",
                        "-s", "start")  # fmt: skip
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        server._running = True
        atexit.register(server.stop)
        primary.make_synchronous(name)
        return server

    def make_synchronous(self, standby: str) -> None:
        """Wait for ``standby``'s acknowledgement of every commit (after it applied it), and
        until it streams as the synchronous standby."""
        import psycopg

        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f"ALTER SYSTEM SET synchronous_standby_names = '{standby}'")
            conn.execute("ALTER SYSTEM SET synchronous_commit = 'remote_apply'")
            conn.execute("SELECT pg_reload_conf()")
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                found = conn.execute(
                    "SELECT sync_state FROM pg_stat_replication WHERE application_name = %s",
                    (standby,),
                ).fetchone()
                if found and found[0] == "sync":
                    return
                time.sleep(0.05)
        raise LocalServerError(f"standby {standby} did not become synchronous within 30 s")

    def promote(self) -> None:
        """``pg_ctl promote``: the standby becomes a primary that takes writes."""
        self._run("pg_ctl", "-D", str(self.data), "-w", "-s", "promote")

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def logfile(self) -> Path:
        return self.folder / "server.log"

    def conninfo(self, dbname: str = "postgres", *, user: str = SUPERUSER) -> str:
        """A libpq keyword string for ``dbname`` as ``user`` over the folder's socket."""
        return f"host={self.folder} dbname={dbname} user={user}"

    def stop(self, *, mode: str = "fast", remove: bool = True) -> None:
        """Stop the server (``mode``: smart, fast, immediate) and remove its folder."""
        if self._running:
            self._running = False
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-s", "stop")
        if remove:
            shutil.rmtree(self.folder, ignore_errors=True)
            atexit.unregister(self.stop)

    def crash(self) -> None:
        """``pg_ctl stop -m immediate``: what a power cut does to the server's processes."""
        self.stop(mode="immediate", remove=False)

    def restart(self) -> None:
        """Start the server again on its folder (after ``crash``: crash recovery runs)."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-w", "-s", "start")
        self._running = True

    def _initdb(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E",
                  "UTF8", "--no-locale", "--no-sync", "--no-instructions")  # fmt: skip
        settings = {
            "listen_addresses": "''",
            "unix_socket_directories": f"'{self.folder}'",
            "max_connections": "40",
            "shared_buffers": "32MB",
            "logging_collector": "off",
            "log_min_messages": "warning",
            "timezone": "'UTC'",
        }
        if not self.durable:
            settings |= _FAST
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# sarapp throwaway server\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = self.logfile.read_text(errors="replace")[-2000:] if self.logfile.exists() else ""
            raise LocalServerError(
                f"{program} failed ({done.returncode}): {done.stderr.strip()[-2000:]}\n{log}"
            )


def _unprivileged_user() -> str:
    name = os.environ.get("SARAPP_PG_USER", "postgres")
    try:
        pwd.getpwnam(name)
    except KeyError:
        raise LocalServerError(
            f"running as root, and there is no user {name!r} to run PostgreSQL as (initdb "
            "refuses root): install Debian's postgresql package, or set SARAPP_PG_USER"
        ) from None
    return name
