"""A warm parent that forks one build per request, so a test can SIGKILL builds at random moments.

Loading the model takes seconds; forking a process that already holds it lets the
crash test start ~30 real builds (each its own process, killed with SIGKILL) in the
time of a few. Protocol on stdin/stdout, one JSON object a line:

- in: ``{"inputs": [...], "output": "..."}`` → out: ``{"pid": N}`` when the build
  process has started, then ``{"pid": N, "status": S}`` (``os.waitpid`` status) when
  it has ended, killed or not.
- end of input: the parent exits.

Run as ``python -m tests.robustness.crash_child WARM_INPUT...`` from the project root.
"""

from __future__ import annotations

import json
import os
import sys


#: articles per store commit: the test's 18 articles make five commits, so kills land between them
COMMIT_EVERY = 4
#: articles per map chunk. The build's own chunk (16) parsed 16 articles, wrote two commits back to back, then
#: parsed the last two: the commits sat within ~20 ms of a 0.3 s build, and in one CI run all 18 kills missed
#: them (every store held 0 or 18 articles). Chunks of 2 spread the commits over the whole build.
PARSE_CHUNK = 2


def _build(inputs: list[str], output: str) -> int:
    from builder import pipeline
    from builder.pipeline import build

    pipeline.CHUNK = PARSE_CHUNK
    try:
        report = build(inputs, output, progress=False, batch=COMMIT_EVERY)
    except Exception as err:  # noqa: BLE001 - reported to the test as an exit code
        print(f"build failed: {err}", file=sys.stderr, flush=True)
        return getattr(err, "exit_code", 1)
    return 0 if report.clean else 65


def serve(warm_inputs: list[str]) -> None:
    """Warm up once (a throwaway build fills every lazy cache), then fork a build for every request line."""
    import tempfile

    from builder.pipeline import build

    with tempfile.TemporaryDirectory(prefix="newsgraph-warm-") as scratch:
        build(warm_inputs, os.path.join(scratch, "warm.nq"), progress=False)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:  # the build process
            code = 1
            try:
                code = _build(request["inputs"], request["output"])
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"pid": pid, "status": status}), flush=True)


if __name__ == "__main__":
    serve(sys.argv[1:])
