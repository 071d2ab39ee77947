"""`carkg bench …`: benchmarks that print their figures and the machine they ran on."""

from __future__ import annotations

from typing import Annotated

import typer

from carkg.cli._console import console

app = typer.Typer(help="Benchmarks that print their figures", no_args_is_help=True)


# -- benchmarks -------------------------------------------------------------------------------------


@app.command("load")
def bench_load(
    customers: Annotated[int, typer.Option(help="persons in the generated demo set")] = 100_000,
    seed: Annotated[int, typer.Option()] = 7,
    batch_size: Annotated[int | None, typer.Option()] = None,
    bulk: Annotated[bool, typer.Option("--bulk", help="initial load through neo4j-admin import")] = False,
) -> None:
    """Generate N customers, load them into an empty graph, print records/s and graph elements/s."""
    from carkg.bench.load import run_load_benchmark

    run_load_benchmark(customers=customers, seed=seed, batch_size=batch_size, console=console, bulk=bulk)


@app.command("api")
def bench_api(
    customers: Annotated[int, typer.Option(help="persons in the demo set")] = 20_000,
    seed: Annotated[int, typer.Option()] = 42,
    clients: Annotated[int, typer.Option(help="concurrent clients")] = 50,
    rate: Annotated[float, typer.Option(help="requests/s the clients offer together in the latency phase")] = 300.0,
    seconds: Annotated[float, typer.Option(help="measured duration of each phase")] = 30.0,
    warmup: Annotated[float, typer.Option(help="unmeasured warm-up")] = 5.0,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 2,
    port: Annotated[int, typer.Option()] = 28000,
    fresh: Annotated[bool, typer.Option(help="rebuild the benchmark graph")] = False,
    peers: Annotated[bool, typer.Option("--peers", help="carkg beside a bare Starlette + driver endpoint and "
                                        "@neo4j/graphql, same graph and load (autocannon)")] = False,
    keep: Annotated[bool, typer.Option("--record/--no-record",
                                      help="write the --peers figures to docs/benchmarks.json")] = True,
    profile: Annotated[bool, typer.Option("--profile", help="with --peers: sample the Python servers with py-spy "
                                          "and print where their time goes")] = False,
) -> None:
    """Customer-360 over GraphQL with N concurrent clients: saturation throughput, and p50/p95/p99 at --rate;
    with --peers, side by side with a bare driver endpoint and @neo4j/graphql."""
    from carkg.bench.api import run_api_benchmark

    run_api_benchmark(customers=customers, seed=seed, clients=clients, seconds=seconds, warmup=warmup,
                      workers=workers, port=port, fresh=fresh, rate=rate, console=console, peers=peers, keep=keep,
                      profile=profile)


@app.command("identity")
def bench_identity(
    customers: Annotated[int | None, typer.Option(help="persons in the demo set (default 100,000; 20,000 "
                                                  "with --quality)")] = None,
    seed: Annotated[int, typer.Option()] = 7,
    fresh: Annotated[bool, typer.Option(help="rebuild the benchmark graph")] = False,
    load_only: Annotated[bool, typer.Option(help="only make sure the graph is loaded")] = False,
    quality: Annotated[bool, typer.Option(help="precision/recall/F1 instead: 20k demo (two seeds, two trap "
                                          "rates) and FEBRL1–4")] = False,
    peer: Annotated[str | None, typer.Option(help="'splink': FEBRL4 through One ID and Splink 5 side by side")]
    = None,
) -> None:
    """One ID resolve end to end on the N-customer demo: records/s and the GDS step's own time; with --quality
    or --peer, how right it is instead."""
    if quality or peer:
        from carkg.bench.identity_quality import run_quality

        run_quality(console=console, quality=quality, peer=peer, customers=customers or 20_000)
        return
    from carkg.bench.identity import run_identity_benchmark

    run_identity_benchmark(customers=customers or 100_000, seed=seed, fresh=fresh, console=console, load_only=load_only)


@app.command("segments")
def bench_segments(
    customers: Annotated[int, typer.Option(help="persons in the demo set")] = 100_000,
    seed: Annotated[int, typer.Option()] = 7,
    repeats: Annotated[int, typer.Option(help="measured runs per segment and operation")] = 20,
    fresh: Annotated[bool, typer.Option(help="rebuild the benchmark graph")] = False,
    persons: Annotated[str, typer.Option(help="auto (resolver if importable) | resolver | truth (labelled fallback)")]
    = "auto",
) -> None:
    """Segment count and first members page on the N-customer demo: p50/p95 per segment."""
    from carkg.bench.segments import run_segments_benchmark

    run_segments_benchmark(customers=customers, seed=seed, repeats=repeats, fresh=fresh, console=console,
                           persons=persons)


@app.command("alerts")
def bench_alerts(
    rate: Annotated[float, typer.Option(help="events posted per second")] = 200,
    seconds: Annotated[float, typer.Option(help="measured duration")] = 30.0,
    warmup: Annotated[float, typer.Option(help="unmeasured warm-up")] = 3.0,
    customers: Annotated[int, typer.Option(help="persons in the demo set")] = 2_000,
    seed: Annotated[int, typer.Option()] = 42,
    advisors: Annotated[int, typer.Option(help="advisors with an open subscription")] = 20,
    port: Annotated[int, typer.Option()] = 28040,
    fresh: Annotated[bool, typer.Option(help="reload the benchmark graph")] = False,
    peer: Annotated[bool, typer.Option("--peer", help="then the same events as bare driver writes, for the "
                                       "overhead")] = False,
    keep: Annotated[bool, typer.Option("--record/--no-record", help="write the figures to docs/benchmarks.json")]
    = True,
    profile: Annotated[bool, typer.Option("--profile", help="sample the API with py-spy and print where its time "
                                          "goes")] = False,
) -> None:
    """Event-to-alert latency: post events over HTTP at a fixed rate, time their alerts on websockets; with
    --peer, beside a bare driver doing the same writes."""
    from carkg.bench.alerts import run_alerts_benchmark

    run_alerts_benchmark(rate=rate, seconds=seconds, warmup=warmup, customers=customers, seed=seed,
                         advisors=advisors, port=port, fresh=fresh, console=console, peer=peer, keep=keep,
                         profile=profile)


@app.command("leads")
def bench_leads(
    customers: Annotated[int, typer.Option(help="persons in the demo set")] = 100_000,
    seed: Annotated[int, typer.Option()] = 42,
    rate: Annotated[float, typer.Option(help="events posted per second for event→score")] = 200,
    seconds: Annotated[float, typer.Option(help="how long events are posted")] = 30.0,
    port: Annotated[int, typer.Option()] = 28050,
    fresh: Annotated[bool, typer.Option(help="reload the benchmark graph")] = False,
    keep: Annotated[bool, typer.Option("--record/--no-record",
                                      help="write the figures to docs/benchmarks.json")] = True,
) -> None:
    """Lead scoring: train time, time-split AUC and lift beside the rule baseline, score-all time, event→score."""
    from carkg.bench.leads import run_leads_benchmark

    run_leads_benchmark(customers=customers, seed=seed, rate=rate, seconds=seconds, port=port, fresh=fresh,
                        console=console, keep=keep)


@app.command("advisors")
def bench_advisors(
    customers: Annotated[int, typer.Option(help="persons in the demo set")] = 100_000,
    seed: Annotated[int, typer.Option()] = 42,
    clients: Annotated[int, typer.Option(help="concurrent GraphQL clients")] = 20,
    seconds: Annotated[float, typer.Option(help="measured seconds")] = 30.0,
    warmup: Annotated[float, typer.Option(help="unmeasured seconds first")] = 5.0,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 2,
    port: Annotated[int, typer.Option()] = 28060,
    fresh: Annotated[bool, typer.Option(help="reload the benchmark graph")] = False,
    keep: Annotated[bool, typer.Option("--record/--no-record",
                                      help="write the figures to docs/benchmarks.json")] = True,
) -> None:
    """Advisor recommendation: hit@1/hit@3 and conversion uplift beside a random advisor of the nearest dealer,
    then recommendAdvisors latency at 20 clients."""
    from carkg.bench.advisors import run_advisors_benchmark

    run_advisors_benchmark(customers=customers, seed=seed, clients=clients, seconds=seconds, warmup=warmup,
                           workers=workers, port=port, fresh=fresh, console=console, keep=keep)


@app.command("outage")
def bench_outage(
    rate: Annotated[float, typer.Option(help="events posted per second")] = 200,
    before: Annotated[float, typer.Option(help="seconds of intake before Neo4j is stopped")] = 10.0,
    down: Annotated[float, typer.Option(help="seconds Neo4j stays stopped")] = 10.0,
    after: Annotated[float, typer.Option(help="seconds of intake after Neo4j answers again")] = 20.0,
    port: Annotated[int, typer.Option()] = 28070,
    keep: Annotated[bool, typer.Option("--record/--no-record",
                                      help="write the figures to docs/benchmarks.json")] = True,
) -> None:
    """Neo4j stopped and started during event intake: events lost or stored twice (must be 0), what callers saw."""
    from carkg.bench.outage import run_outage_benchmark

    report = run_outage_benchmark(rate=rate, before=before, down=down, after=after, port=port, console=console,
                                  keep=keep)
    if report.lost or report.miswired or report.failure_count or not report.api_survived:
        raise typer.Exit(1)


@app.command("soak")
def bench_soak(
    clients: Annotated[int, typer.Option(help="closed-loop clients")] = 50,
    minutes: Annotated[float, typer.Option(help="how long the clients run")] = 10.0,
    customers: Annotated[int, typer.Option(help="persons in the demo set")] = 20_000,
    seed: Annotated[int, typer.Option()] = 42,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 2,
    port: Annotated[int, typer.Option()] = 28080,
    full_resolve: Annotated[bool, typer.Option("--full-resolve/--incremental-resolve",
                                              help="the One ID run halfway: in full or incremental")] = True,
    fresh: Annotated[bool, typer.Option(help="reload the benchmark graph")] = False,
    keep: Annotated[bool, typer.Option("--record/--no-record",
                                      help="write the figures to docs/benchmarks.json")] = True,
) -> None:
    """Reads, tag writes, events and a One ID run for minutes: errors (must be 0), p99 drift, API memory."""
    from carkg.bench.soak import run_soak_benchmark

    report = run_soak_benchmark(clients=clients, minutes=minutes, customers=customers, seed=seed, workers=workers,
                                port=port, full_resolve=full_resolve, fresh=fresh, console=console, keep=keep)
    if report.errors:
        raise typer.Exit(1)


@app.command("fuzz")
def bench_fuzz(
    examples: Annotated[int, typer.Option(help="documents per query or mutation, each sent with six role tokens")]
    = 30,
    seed: Annotated[int, typer.Option()] = 7,
    port: Annotated[int, typer.Option()] = 28090,
    keep: Annotated[bool, typer.Option("--record/--no-record",
                                      help="write the figures to docs/benchmarks.json")] = True,
) -> None:
    """Schemathesis documents for every query and mutation with every role's token: 5xx and other failures."""
    from carkg.bench.fuzz import run_fuzz_benchmark

    report = run_fuzz_benchmark(examples=examples, seed=seed, port=port, console=console, keep=keep)
    if report.failed or report.logged_errors:
        raise typer.Exit(1)
