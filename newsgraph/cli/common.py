"""What every command shares: the stderr console and error-to-exit-code handling."""

from __future__ import annotations

import sys
from functools import lru_cache

import typer


@lru_cache(maxsize=1)
def console():  # noqa: ANN201 - rich is imported lazily
    """The rich console for progress, logs and errors (stderr; stdout is for data)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def fail(message: str, code: int) -> typer.Exit:
    """Print an error line to stderr and return the Exit to raise."""
    console().print(f"[bold red]error:[/] {message}", markup=True)
    return typer.Exit(code)


def run(app: typer.Typer) -> int:
    """Run the typer app; map NewsgraphError to its exit code with a one-line message."""
    from ontology.errors import NewsgraphError

    try:
        app(standalone_mode=False)
    except NewsgraphError as err:
        console().print(f"[bold red]error:[/] {err}", markup=False)
        return err.exit_code
    except typer.Exit as err:
        return err.exit_code
    except typer.Abort:
        console().print("aborted")
        return 130
    except KeyboardInterrupt:
        console().print("interrupted")
        return 130
    except Exception as err:  # click usage errors arrive here in non-standalone mode
        import click

        if isinstance(err, click.ClickException):
            err.show(file=sys.stderr)
            return err.exit_code
        raise
    return 0
