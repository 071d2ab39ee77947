"""Assemble a Neo4j server from Maven Central the way the official tarball lays it out.

`lib/` gets the server and Browser jars, `plugins/` gets GDS and APOC core minus whatever the server
already ships (the plugin class loader would otherwise see two copies of one library).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

POM = Path(str(files("carkg.localneo4j") / "pom.xml"))
_VERSION_SUFFIX = re.compile(r"-\d[\w.\-]*\.jar$")


class InstallError(RuntimeError):
    pass


@dataclass(frozen=True)
class Distribution:
    root: Path

    @property
    def lib(self) -> Path:
        return self.root / "lib"

    @property
    def plugins(self) -> Path:
        return self.root / "plugins"

    @property
    def complete(self) -> bool:
        return (self.root / ".complete").exists()


def versions() -> dict[str, str]:
    """The pinned versions, read from the pom (the one place they are written)."""
    text = POM.read_text()
    return {
        name: re.search(rf"<{name}\.version>([^<]+)<", text).group(1)  # type: ignore[union-attr]
        for name in ("neo4j", "gds", "apoc", "browser")
    }


def distribution_for(dist_dir: Path) -> Distribution:
    # Keyed by the pom's hash, so a version bump assembles a fresh distribution beside the old one.
    digest = hashlib.sha256(POM.read_bytes()).hexdigest()[:10]
    return Distribution(dist_dir / f"neo4j-{versions()['neo4j']}-{digest}")


def install(dist_dir: Path, *, quiet: bool = True) -> Distribution:
    dist = distribution_for(dist_dir)
    if dist.complete:
        return dist
    if shutil.which("mvn") is None:
        raise InstallError("Maven (mvn) is not on PATH; install it (apt-get install maven) and retry")
    with tempfile.TemporaryDirectory(dir=dist_dir.parent if dist_dir.parent.exists() else None) as tmp:
        staging = Path(tmp)
        _copy_dependencies(staging / "lib", profile=None, quiet=quiet)
        _copy_dependencies(staging / "all-plugins", profile="plugins", quiet=quiet)
        (staging / "plugins").mkdir()
        shipped = {_artifact(jar.name) for jar in (staging / "lib").iterdir()}
        for jar in (staging / "all-plugins").iterdir():
            if _artifact(jar.name) not in shipped:
                shutil.copy2(jar, staging / "plugins" / jar.name)
        if dist.root.exists():
            shutil.rmtree(dist.root)
        dist.root.mkdir(parents=True)
        shutil.move(staging / "lib", dist.lib)
        shutil.move(staging / "plugins", dist.plugins)
    (dist.root / ".complete").write_text(str(versions()))
    return dist


def _artifact(jar_name: str) -> str:
    """`org.neo4j.gds.core-2.13.9.jar` → `org.neo4j.gds.core` (file names carry the groupId)."""
    return _VERSION_SUFFIX.sub("", jar_name)


def _copy_dependencies(out: Path, *, profile: str | None, quiet: bool) -> None:
    cmd = [
        "mvn", "-B", "-f", str(POM), "dependency:copy-dependencies",
        f"-DoutputDirectory={out}", "-Dmdep.prependGroupId=true",
    ]
    if profile:
        cmd.append(f"-P{profile}")
    if quiet:
        cmd.append("-q")
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-25:])
        raise InstallError(f"Maven could not assemble Neo4j ({' '.join(cmd[3:5])}):\n{tail}")
