"""Start, stop and inspect the local server with the same launcher the official tarball's `bin/neo4j` uses."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from carkg.localneo4j.install import Distribution, install, versions
from carkg.settings import LocalServerSettings

LAUNCHER = "org.neo4j.server.startup.Neo4jCommand"
ADMIN = "org.neo4j.server.startup.Neo4jAdminCommand"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"  # what the ADMIN launcher runs in a second JVM
SUPPORTED_JAVA = (17, 21)
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
)


class ServerError(RuntimeError):
    pass


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    bolt_uri: str
    browser_url: str
    user: str
    password_file: Path


class LocalServer:
    def __init__(self, settings: LocalServerSettings | None = None) -> None:
        self.settings = settings or LocalServerSettings()
        self.home = self.settings.home.resolve()

    # -- where things are -------------------------------------------------------------------------

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.settings.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.http_port}/browser/"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def password(self) -> str:
        if not self.password_file.exists():
            raise ServerError(f"no password yet at {self.password_file}; run `carkg neo4j start` first")
        return self.password_file.read_text().strip()

    @property
    def _pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    @property
    def _log_file(self) -> Path:
        return self.home / "logs" / "neo4j.log"

    # -- lifecycle --------------------------------------------------------------------------------

    def status(self) -> ServerStatus:
        pid = self._running_pid()
        return ServerStatus(
            running=pid is not None,
            pid=pid,
            bolt_uri=self.bolt_uri,
            browser_url=self.browser_url,
            user="neo4j",
            password_file=self.password_file,
        )

    def start(self, timeout: float = 180.0) -> ServerStatus:
        if self._running_pid() is not None:
            self._wait_for_bolt(timeout)
            return self.status()
        check_java()
        for port in (self.settings.bolt_port, self.settings.http_port):
            if not _port_free(port):
                raise ServerError(
                    f"port {port} on 127.0.0.1 is taken by another process; stop it or set "
                    "CARKG_NEO4J_BOLT_PORT / CARKG_NEO4J_HTTP_PORT"
                )
        dist = install(self.settings.dist)
        self._lay_out(dist)
        result = self._java(LAUNCHER, "start")
        if result.returncode != 0:
            raise ServerError(f"Neo4j did not start:\n{result.stdout}{result.stderr}\n{self.log_tail()}")
        self._wait_for_bolt(timeout)
        return self.status()

    def stop(self, timeout: float = 60.0) -> None:
        if self._running_pid() is None:
            return
        self._java(LAUNCHER, "stop")
        deadline = time.monotonic() + timeout
        while self._running_pid() is not None:
            if time.monotonic() > deadline:
                raise ServerError(f"Neo4j (pid {self._running_pid()}) did not stop within {timeout:.0f}s")
            time.sleep(0.5)

    def import_full(self, import_args: list[str], *, database: str = "neo4j") -> str:
        """`neo4j-admin database import full` into this server's (stopped) home; returns the tool's output.

        `--overwrite-destination` replaces the database's store: callers check the graph is empty
        before they stop the server (see `carkg.ingest.bulk`). The importer gets the server's own
        memory budget (heap, and the page cache size as off-heap memory), since the server is down.
        """
        if self._running_pid() is not None:
            raise ServerError("stop the server before importing: neo4j-admin writes the store files directly")
        self._lay_out(install(self.settings.dist))
        report = self.home / "logs" / "import.report"
        # AdminTool straight away, with the options the ADMIN launcher would give it: one JVM, not two.
        jvm = [*JVM_OPTIONS, "-Dfile.encoding=UTF-8", f"-Xmx{self.settings.heap}"]
        result = self._java(
            ADMIN_TOOL, "database", "import", "full", "--overwrite-destination=true", "--bad-tolerance=0",
            "--skip-bad-relationships=false", "--skip-duplicate-nodes=false", "--strict=true",
            f"--max-off-heap-memory={self.settings.pagecache}", f"--report-file={report}",
            *import_args, database, jvm=jvm,
        )
        output = result.stdout + result.stderr
        (self.home / "logs" / "import.log").write_text(output)
        if result.returncode != 0:
            # A failed import leaves a half-written store the server cannot open. The import had already
            # replaced what was there (--overwrite-destination), so removing it loses nothing more: the
            # server then starts with a new, empty database of that name.
            for sub in ("databases", "transactions"):
                shutil.rmtree(self.home / "data" / sub / database, ignore_errors=True)
            tail = "\n".join(output.splitlines()[-40:])
            log = self.home / "logs" / "import.log"
            raise ServerError(f"neo4j-admin import failed (full output in {log}); the database is empty:\n{tail}")
        return output

    def log_tail(self, lines: int = 30) -> str:
        if not self._log_file.exists():
            return "(no log written yet)"
        text = self._log_file.read_text(errors="replace").splitlines()[-lines:]
        return f"--- last {len(text)} lines of {self._log_file} ---\n" + "\n".join(text)

    # -- internals --------------------------------------------------------------------------------

    def _lay_out(self, dist: Distribution) -> None:
        for sub in ("conf", "data", "logs", "run", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        for name, target in (("lib", dist.lib), ("plugins", dist.plugins)):
            link = self.home / name
            if link.is_symlink() or link.exists():
                if link.resolve() == target.resolve():
                    continue
                link.unlink() if link.is_symlink() else shutil.rmtree(link)
            link.symlink_to(target, target_is_directory=True)
        (self.home / "conf" / "neo4j.conf").write_text(self._config())
        if not self.password_file.exists():
            if (self.home / "data" / "dbms").exists():
                raise ServerError(
                    f"{self.home / 'data'} holds a database but {self.password_file} is gone; "
                    "restore the file or delete the data directory to start afresh"
                )
            password = secrets.token_hex(16)  # never starts with '-', which the admin tool would read as an option
            result = self._java(ADMIN, "dbms", "set-initial-password", password)
            if result.returncode != 0:
                raise ServerError(f"could not set the initial password:\n{result.stdout}{result.stderr}")
            self.password_file.touch(mode=0o600)
            self.password_file.write_text(password + "\n")
            os.chmod(self.password_file, 0o600)

    def _config(self) -> str:
        s = self.settings
        return "\n".join(
            [
                "# Written by carkg on every start; edit carkg's settings (CARKG_NEO4J_*) instead.",
                "server.default_listen_address=127.0.0.1",
                "server.default_advertised_address=127.0.0.1",
                f"server.bolt.listen_address=127.0.0.1:{s.bolt_port}",
                f"server.http.listen_address=127.0.0.1:{s.http_port}",
                "server.https.enabled=false",
                "dbms.security.auth_enabled=true",
                # `:play http://127.0.0.1:8000/guide` — Browser fetches guides only from these hosts.
                f"browser.remote_content_hostname_whitelist={s.guide_hosts}",
                "dbms.security.procedures.unrestricted=gds.*,apoc.*",
                "dbms.security.procedures.allowlist=gds.*,apoc.*",
                f"server.memory.heap.initial_size={s.heap}",
                f"server.memory.heap.max_size={s.heap}",
                f"server.memory.pagecache.size={s.pagecache}",
                f"dbms.memory.transaction.total.max={s.tx_memory_max}",
                "db.tx_log.rotation.retention_policy=2 files",
                *(f"server.jvm.additional={option}" for option in JVM_OPTIONS),
                "",
            ]
        )

    def _java(self, main_class: str, *args: str, jvm: list[str] | None = None) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.home / "conf")}
        classpath = f"{self.home / 'lib'}/*"
        return subprocess.run(
            ["java", "-cp", classpath, *(jvm or []), main_class, *args], env=env, capture_output=True, text=True
        )

    def _running_pid(self) -> int | None:
        try:
            pid = int(self._pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        return pid

    def _wait_for_bolt(self, timeout: float) -> None:
        from neo4j import GraphDatabase
        from neo4j.exceptions import ServiceUnavailable

        deadline = time.monotonic() + timeout
        with GraphDatabase.driver(self.bolt_uri, auth=("neo4j", self.password)) as driver:
            while True:
                try:
                    driver.verify_connectivity()
                    return
                except (ServiceUnavailable, OSError) as exc:
                    if self._running_pid() is None:
                        raise ServerError(f"Neo4j exited while starting:\n{self.log_tail()}") from exc
                    if time.monotonic() > deadline:
                        raise ServerError(
                            f"Bolt did not answer on {self.bolt_uri} within {timeout:.0f}s:\n{self.log_tail()}"
                        ) from exc
                    time.sleep(1.0)


def check_java() -> int:
    """Neo4j 5.26 runs on Java 17 or 21; say so plainly instead of letting the JVM fail obscurely."""
    if shutil.which("java") is None:
        raise ServerError("Java is not installed (need Java 17 or 21): apt-get install openjdk-17-jre-headless")
    out = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        raise ServerError(f"could not read the Java version from: {out.strip()}")
    major = int(match.group(1)) if match.group(1) != "1" else int(match.group(2) or 0)
    if major not in SUPPORTED_JAVA:
        raise ServerError(f"Java {major} found; Neo4j {versions()['neo4j']} needs Java 17 or 21")
    return major


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
