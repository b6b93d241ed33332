"""``newsgraph build``: read articles and write their knowledge graph."""

from __future__ import annotations

from typing import Annotated

import typer

from ontology.iri import DEFAULT_BASE


def build(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or - for stdin: .txt, .md, .html, .jsonl, each with an optional NAME.meta.json sidecar.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Output: .trig/.nq/.ttl/.jsonld file, Oxigraph store directory, or SPARQL endpoint URL. An existing store is added to; a re-added article replaces its old version.")] = "out/graph.trig",
    publisher: Annotated[str | None, typer.Option("--publisher", help="Publisher for articles whose metadata names none (e.g. 'Reuters').")] = None,
    published: Annotated[str | None, typer.Option("--published", metavar="YYYY-MM-DD", help="Publication date for articles whose metadata gives none; relative dates ('on Sunday') resolve against it.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes for annotation and extraction (each loads the model once).")] = 1,
    no_merge: Annotated[bool, typer.Option("--no-merge", help="Do not merge reports of the same event across articles.")] = False,
    base: Annotated[str, typer.Option("--base", help="Base IRI of minted resources.")] = DEFAULT_BASE,
    quarantine: Annotated[str | None, typer.Option("--quarantine", metavar="FILE", help="Where to write the quarantine report (default OUTPUT.quarantine.jsonl).")] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", metavar="ADDRESS", help="Run annotation and extraction on Dask: 'local' (a local cluster of --jobs workers) or a scheduler address like tcp://HOST:8786.")] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Process every article again, also those the output already holds unchanged (same text, metadata and newsgraph build), which are skipped by default.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary on stderr.")] = False,
) -> None:
    """Build the knowledge graph from news articles.

    Unreadable or unprocessable inputs are quarantined (listed in
    OUTPUT.quarantine.jsonl) while the rest is built. Exit codes: 0 all built,
    65 something was quarantined, 2 usage error, 73 output cannot be created,
    74 store I/O error, 75 store in use.

    Building into an existing output adds to it: articles it already holds
    unchanged are skipped, changed ones replaced, new ones added.

    Example: newsgraph build examples/ --output out/graph.trig --published 2025-02-10
    """
    from newsgraph import api
    from newsgraph.cli.common import console

    report = api.build(paths, output=output, jobs=jobs, merge=not no_merge, publisher=publisher,
                       published=published, base=base, progress=not quiet, quarantine_path=quarantine,
                       scheduler=scheduler, rebuild=rebuild)
    if not quiet:
        console().print(report.summary(), markup=False)
    if report.articles_quarantined:
        from ontology.errors import InputError

        raise InputError(f"{report.articles_quarantined} input(s) quarantined, the rest was built; "
                         "expected every input to be readable (the report lists file, stage and reason)",
                         path=report.quarantine_path, stage="build")

