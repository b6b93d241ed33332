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

    from rich.markup import escape

    try:
        # non-standalone click returns (not raises) the code of a typer.Exit
        result = app(standalone_mode=False)
    except NewsgraphError as err:
        console().print(f"[bold red]error:[/] {escape(str(err))}", soft_wrap=True)
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

        # typer 0.29 vendors click: its usage errors are typer.TyperException, not click's
        if isinstance(err, (click.ClickException, typer.TyperException)) and hasattr(err, "show"):
            err.show(file=sys.stderr)
            return err.exit_code
        raise
    return result if isinstance(result, int) else 0
