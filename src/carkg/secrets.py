"""The installation's secret key: it keys the ID-number hashes, so it never leaves this machine."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def secret_key(path: Path) -> bytes:
    """CARKG_SECRET_KEY (hex) if set, else a key generated once into a file only the user can read."""
    if env := os.environ.get("CARKG_SECRET_KEY"):
        return bytes.fromhex(env)
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key.hex() + "\n")
    return key
