"""The pages in a real browser: Playwright driving Debian's chromium (CARKG_CHROMIUM, set by `make test`)
against carkg served by uvicorn on a free port, on the suite's Neo4j. Every request outside 127.0.0.1 is
blocked and counted, so the pages are proven to work offline. With CARKG_SCREENSHOTS=<dir> (`make
screenshots`) each page is saved there as a PNG for the README."""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, expect, sync_playwright

from carkg.api.app import create_app
from carkg.auth import Role
from carkg.auth.tokens import create_token
from carkg.demo import generate
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.identity import resolve
from carkg.ingest import Loader
from carkg.localneo4j import LocalServer
from carkg.paths import GRAPHQL_DIR
from carkg.settings import ApiSettings
from carkg.web.guide import analyst_queries

CHROMIUM = os.environ.get("CARKG_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = os.environ.get("CARKG_SCREENSHOTS")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def base_url(neo4j_target: Target, free_port: int) -> Iterator[str]:
    port = free_port
    app = create_app(neo4j_target, ApiSettings(token_cache_seconds=0))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "carkg did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no chromium at {CHROMIUM}: install Debian's 'chromium' package (make test does) "
                    "or set CARKG_CHROMIUM")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _open(browser: Browser, outside: list[str], errors: list[str]) -> tuple[BrowserContext, Page]:
    """A fresh browser profile whose requests may only reach 127.0.0.1; others are aborted and listed."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")

    def offline(route: Route) -> None:
        url = route.request.url
        if urlparse(url).hostname in ("127.0.0.1", None) or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """carkg's own pages: nothing may come from outside 127.0.0.1 and no script may fail."""
    outside: list[str] = []
    errors: list[str] = []
    context, page = _open(browser, outside, errors)
    yield page
    context.close()
    assert outside == [], f"the page reached outside 127.0.0.1: {outside}"
    assert errors == [], f"JavaScript errors: {errors}"


@pytest.fixture
def neo4j_browser_page(browser: Browser) -> Iterator[Page]:
    """Neo4j Browser asks for web fonts and usage statistics: those are blocked too, but they are Neo4j's."""
    context, page = _open(browser, [], [])
    yield page
    context.close()


def shot(page: Page, name: str, full_page: bool = False) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=full_page)


@pytest.fixture(scope="module")
def demo(database: Database, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A resolved demo graph with open review cases, and a token per role."""
    database.wipe()
    database.apply_schema()
    root = tmp_path_factory.mktemp("demo")
    generate(root / "exports", customers=150, seed=3, bad_row_rate=0)
    Loader(database, key=bytes(31) + b"\x01", batch_size=500, progress=False).load(root / "exports", root / "r.csv")
    resolve(database)
    return {role.value: create_token(database, f"browser-{role.value}", role)
            for role in (Role.STEWARD, Role.ANALYST)}


def persons_of(db: Database, keys: list[str]) -> set[str]:
    rows = db.query("MATCH (r:CustomerRecord)-[:RESOLVED_TO]->(p:Person) WHERE r.key IN $keys RETURN p.oneId AS o",
                    {"keys": keys})
    return {r["o"] for r in rows}


def test_graphiql_renders_the_schema_docs_offline_and_runs_customer_360(
        page: Page, base_url: str, demo: dict[str, str], database: Database) -> None:
    one_id = database.query("MATCH (p:Person) RETURN p.oneId AS o ORDER BY p.recordCount DESC, o LIMIT 1")[0]["o"]
    page.goto(f"{base_url}/graphql")
    # the schema answers only a caller with a token: paste one in Headers, then re-fetch it
    page.get_by_role("button", name="Headers").click()
    _replace_editor(page, page.locator(".graphiql-editor-tool .CodeMirror").nth(1),
                    json.dumps({"Authorization": f"Bearer {demo['analyst']}"}))
    page.get_by_role("button", name=re.compile("Documentation Explorer")).click()
    docs = page.locator(".graphiql-doc-explorer")
    for attempt in range(5):  # GraphiQL reads the headers editor on its next render: give it a moment
        page.wait_for_timeout(300)
        page.get_by_role("button", name="Re-fetch GraphQL schema").click()
        try:
            expect(docs.get_by_text("Root Types")).to_be_visible(timeout=3_000)
            break
        except AssertionError:
            if attempt == 4:
                raise
    docs.get_by_role("link", name="Query").click()
    expect(docs.get_by_text("reviewCases", exact=True)).to_be_visible()
    query = (GRAPHQL_DIR / "customer_360.graphql").read_text(encoding="utf-8")
    _replace_editor(page, page.locator(".graphiql-query-editor .CodeMirror").first, query)
    page.get_by_role("button", name="Variables").click()
    _replace_editor(page, page.locator(".graphiql-editor-tool .CodeMirror").first, json.dumps({"oneId": one_id}))
    page.locator(".graphiql-execute-button").click()
    result = page.locator(".result-window")
    expect(result).to_contain_text(f'"oneId": "{one_id}"', timeout=15_000)
    expect(result).not_to_contain_text('"errors"')
    shot(page, "graphiql")


def _replace_editor(page: Page, editor: object, text: str) -> None:
    """CodeMirror closes brackets as one types: insert the text as a paste would."""
    editor.click()  # type: ignore[attr-defined]
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def test_a_steward_rejects_a_case_and_the_next_resolution_keeps_the_pair_apart(
        page: Page, base_url: str, demo: dict[str, str], database: Database) -> None:
    page.goto(f"{base_url}/steward")
    expect(page.locator("#message")).to_contain_text("Sign in with a steward token")
    page.fill("#token", demo["steward"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#queue")).to_be_visible()
    expect(page.locator("#progress")).to_contain_text("left")
    shot(page, "steward-queue")
    first = page.locator("#queue tbody tr a").first
    case_id = first.inner_text()
    first.click()
    expect(page.locator("h2")).to_contain_text(case_id)
    expect(page.locator("#records")).to_be_visible()
    page.wait_for_function("window.caseGraph && window.caseGraph.nodes().length > 2")
    shot(page, "steward-case", full_page=True)
    keys = database.query("MATCH (:ReviewCase {caseId: $id})-[:CONCERNS]->(r) RETURN collect(r.key) AS k",
                          {"id": case_id})[0]["k"]
    page.fill("#reason", "different people: checked with the dealer")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("r")  # the keyboard shortcut for reject
    page.wait_for_url(re.compile(r"done="))
    expect(page.locator("#done")).to_contain_text(f"{case_id}: reject recorded")
    decided = database.query("MATCH (c:ReviewCase {caseId: $id}) RETURN c.status AS s, c.decidedBy AS by",
                             {"id": case_id})[0]
    assert decided == {"s": "decided", "by": "token:browser-steward"}
    resolve(database, incremental=True)
    resolve(database)
    assert len(persons_of(database, keys)) == len(keys), "a rejected pair must stay apart"
    page.goto(f"{base_url}/steward/cases/{case_id}")
    expect(page.locator("#decided")).to_contain_text("by token:browser-steward")


def test_an_analyst_cannot_open_the_steward_page(page: Page, base_url: str, demo: dict[str, str]) -> None:
    page.goto(f"{base_url}/steward/login")
    page.fill("#token", demo["analyst"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#message")).to_contain_text("role is analyst")
    page.goto(f"{base_url}/steward")
    expect(page.locator("#message")).to_contain_text("Sign in with a steward token")
    shot(page, "steward-login")


def test_the_guide_plays_in_neo4j_browser_and_runs_a_query(
        neo4j_browser_page: Page, base_url: str, demo: dict[str, str], local_server: LocalServer | None) -> None:
    page = neo4j_browser_page
    if local_server is None:  # NEO4J_URI elsewhere: its Browser is not ours to drive; the guide page itself
        response = page.goto(f"{base_url}/guide")
        assert response is not None and response.ok and response.headers["access-control-allow-origin"] == "*"
        expect(page.locator("article.guide slide")).to_have_count(len(analyst_queries()) + 1)
        return
    page.goto(f"{local_server.browser_url}?dbms=neo4j://neo4j@127.0.0.1:{local_server.settings.bolt_port}"
              "&preselectAuthMethod=NATIVE")
    page.fill('[data-testid="password"]', local_server.password)
    page.click('[data-testid="connect"]')
    expect(page.get_by_text("You are connected as user")).to_be_visible(timeout=20_000)
    editor = page.locator('[data-testid="activeEditor"]')
    carousel = page.locator('[data-testid="carousel"]').first
    # Browser reads the server's guide allow-list a moment after "connected"; a `:play` typed before that
    # says "No guide by that name", and a user simply runs it again. Three tries, then the guide must be there.
    for _ in range(3):
        editor.click()
        page.keyboard.type(f":play {base_url}/guide")
        expect(editor).to_contain_text("/guide")
        page.click('[data-testid="editor-Run"]')
        newest = page.locator('[data-testid="frame"]').first
        expect(newest).to_contain_text(re.compile("The automotive CRM knowledge graph|No guide by that name"),
                                       timeout=15_000)
        if carousel.count():
            break
        page.wait_for_timeout(2_000)
    expect(carousel).to_contain_text("The automotive CRM knowledge graph", timeout=15_000)
    expect(page.locator("body")).to_contain_text(f"1 / {len(analyst_queries()) + 1}")
    page.click('[data-testid="nextSlide"]')
    expect(carousel).to_contain_text("The graph model")
    shot(page, "browser-guide")
    carousel.locator("pre.runnable", has_text="db.schema.visualization").click()
    expect(editor).to_contain_text("CALL db.schema.visualization()")
    page.click('[data-testid="editor-Run"]')
    result = page.locator('[data-testid="frame"]').first
    expect(result.locator('[data-testid="frameCommand"]')).to_contain_text("CALL db.schema.visualization()")
    expect(result).to_contain_text("CustomerRecord", timeout=15_000)
