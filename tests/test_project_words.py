"""The project speaks of the product only: its files name versions and dates, never the work sessions or the
helpers that produced them. A guard, so such words do not creep back into docs, code or comments."""

from __future__ import annotations

import re
import subprocess

from carkg.paths import PROJECT_ROOT

WORDS = re.compile(r"\b(this|last|next|previous|earlier|work|coding) sessions?\b|\bsessions?[- ]\d+|"
                   r"\b(claude|chatgpt|copilot|llm|ai assistant)\b", re.IGNORECASE)
TEXT = (".md", ".py", ".cypher", ".graphql", ".toml", ".yaml", ".yml", ".mjs", ".js", ".html", ".css", ".sh")


def test_no_file_of_the_project_speaks_of_work_sessions_or_helpers() -> None:
    files = subprocess.run(["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    found = []
    for name in files:
        if (not name.endswith(TEXT) and name not in {"Makefile", ".ci/run"}) or "/vendor/" in name:
            continue
        path = PROJECT_ROOT / name
        if not path.is_file():
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if WORDS.search(line) and name != "tests/test_project_words.py":
                found.append(f"{name}:{n}: {line.strip()[:120]}")
    assert not found, "\n".join(found)


def test_the_guard_catches_what_it_is_for() -> None:
    assert WORDS.search("figures from session 4") and WORDS.search("re-run in this session")
    assert not WORDS.search("driver.session(database=db)") and not WORDS.search("the login session cookie")
