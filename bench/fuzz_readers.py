"""Coverage-guided fuzzing of the readers with atheris (not part of the test suite).

Each input is routed by its first byte to one target: byte decoding, HTML,
Markdown, JSON Lines, ``normalise`` + ``chunks``, or the whole ``iter_articles``
on a temporary file. A target may reject input only with ``InputError`` (or
quarantine it); anything else — an unexpected exception, a non-idempotent
normalisation, chunks that do not reassemble — is a crash libFuzzer reports.

    pip install -e '.[fuzz]'
    python bench/fuzz_readers.py --seconds 300            # all targets, 5 minutes
    python bench/fuzz_readers.py --seconds 60 --target html

Crashing inputs are written to ``--artifacts`` (default ``out/fuzz/``); replay
one with ``python bench/fuzz_readers.py --replay out/fuzz/crash-…``.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED_FILES = ROOT / "tests" / "builder" / "fixtures" / "input" / "corpus"
TARGET_NAMES = ("decode", "html", "markdown", "jsonl", "normalise", "read")


def load_targets() -> dict[str, Callable[[bytes], None]]:
    """Import the readers and return one fuzz target per name in ``TARGET_NAMES``."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from builder.formats.decode import decode_bytes
    from builder.formats.html import read_html
    from builder.formats.jsonl import iter_jsonl
    from builder.formats.markdown import read_markdown
    from builder.normalise import chunks, normalise
    from builder.quarantine import Quarantine
    from builder.read import iter_articles
    from ontology.errors import InputError

    def text_of(data: bytes) -> str:
        return data.decode("utf-8", "surrogateescape")  # bad bytes become lone surrogates

    def fuzz_decode(data: bytes) -> None:
        try:
            text, encoding = decode_bytes(data, source="fuzz")
        except InputError:
            return
        if not isinstance(text, str) or not encoding:
            raise RuntimeError(f"decode_bytes returned {text!r:.40}, {encoding!r}")

    def fuzz_html(data: bytes) -> None:
        document = read_html(text_of(data))
        normalise(document.text)

    def fuzz_markdown(data: bytes) -> None:
        document = read_markdown(text_of(data))
        normalise(document.text)

    def fuzz_jsonl(data: bytes) -> None:
        for _ in iter_jsonl(io.BytesIO(data), source="fuzz"):
            pass

    def fuzz_normalise(data: bytes) -> None:
        text = text_of(data)
        once = normalise(text)
        if normalise(once) != once:
            raise RuntimeError(f"normalise is not idempotent on {text!r:.200}")
        once.encode("utf-8")
        size = 1 + (data[0] if data else 0) % 64
        pieces = list(chunks(once, size))
        if "".join(p for _, p in pieces) != once or any(len(p) > size for _, p in pieces):
            raise RuntimeError(f"chunks({size}) do not reassemble {once!r:.200}")

    def fuzz_read(data: bytes) -> None:
        suffix = (".txt", ".html", ".md", ".jsonl", ".dat")[data[0] % 5 if data else 0]
        folder = Path(tempfile.mkdtemp(prefix="newsgraph-fuzz-"))
        try:
            (folder / f"input{suffix}").write_bytes(data[1:])
            quarantine = Quarantine()
            for article in iter_articles([str(folder)], quarantine=quarantine, languages=("en", "ar", "fr")):
                article.text.encode("utf-8")
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    return dict(zip(TARGET_NAMES, (fuzz_decode, fuzz_html, fuzz_markdown, fuzz_jsonl, fuzz_normalise,
                                   fuzz_read), strict=True))


def one_input(targets: dict[str, Callable[[bytes], None]], only: str | None) -> Callable[[bytes], None]:
    """The libFuzzer entry: the first byte picks the target unless ``only`` names one."""
    names = list(targets)

    def test_one_input(data: bytes) -> None:
        if only is not None:
            targets[only](data)
        elif data:
            targets[names[data[0] % len(names)]](data[1:])

    return test_one_input


def _seed_corpus(into: Path) -> None:
    """Our own fixture articles as the starting corpus (a temporary copy: libFuzzer adds to it)."""
    for path in sorted(SEED_FILES.rglob("*")):
        if path.is_file():
            shutil.copy(path, into / path.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="stop after this many seconds (default 60)")
    parser.add_argument("--target", choices=TARGET_NAMES, help="fuzz one target only (default: all)")
    parser.add_argument("--artifacts", default=str(ROOT / "out" / "fuzz"), help="where crashing inputs go")
    parser.add_argument("--replay", type=Path, help="run one saved input through the targets and exit")
    options = parser.parse_args(argv)

    if options.replay is not None:
        targets = load_targets()
        one_input(targets, options.target)(options.replay.read_bytes())
        print(f"{options.replay}: no crash")
        return 0

    import atheris  # the fuzz extra: pip install -e '.[fuzz]'

    with atheris.instrument_imports(include=["builder"]):
        targets = load_targets()
    artifacts = Path(options.artifacts)
    artifacts.mkdir(parents=True, exist_ok=True)
    corpus = Path(tempfile.mkdtemp(prefix="newsgraph-fuzz-corpus-"))
    _seed_corpus(corpus)
    libfuzzer_args: list[Any] = [
        sys.argv[0], f"-max_total_time={options.seconds}", "-rss_limit_mb=4096", "-timeout=60",
        f"-artifact_prefix={artifacts}/", str(corpus),
    ]
    try:
        atheris.Setup(libfuzzer_args, one_input(targets, options.target))
        atheris.Fuzz()
    finally:
        shutil.rmtree(corpus, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
