"""Shared console output for every command: one place decides width and how failures read."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

# Summary tables stay readable when output goes to a log file (rich assumes 80 columns there).
console = Console(width=None if sys.stdout.isatty() else 130)
err = Console(stderr=True)


def fail(message: str) -> typer.Exit:
    """Print a one-line error and return the Exit to raise (exit code 1)."""
    err.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code=1)
