"""Templates and static files of the pages: Jinja2 with autoescape on, so every record value a page
shows is escaped (a name like `<script>` is text, never markup)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
VENDOR_DIR = STATIC_DIR / "vendor"

templates = Jinja2Templates(directory=HERE / "templates")


def vendored() -> dict[str, Any] | None:
    """The vendored third-party versions, or None when `make install` has not copied them yet."""
    stamp = VENDOR_DIR / "versions.json"
    return json.loads(stamp.read_text(encoding="utf-8")) if stamp.is_file() else None


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, {"vendor": vendored(), **context}, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response  # type: ignore[return-value]
