"""Give memory the build has freed back to the operating system.

A long build allocates and frees a chunk's worth of parse state (numpy arrays,
spaCy docs, assembled triples) over and over; glibc's allocator keeps freed
pages mapped, so the resident size creeps up with the corpus although the live
data does not. ``malloc_trim(0)`` returns those pages. Elsewhere (macOS,
musl, Windows) this is a no-op.
"""

from __future__ import annotations

import ctypes
import sys
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _libc() -> Any:
    """The C library the process runs with: the symbols already loaded (``dlopen(NULL)``).

    Not ``ctypes.util.find_library("c")``, which on Linux runs ``ldconfig -p`` in a
    forked child: a copy of a 450 MB build process that a memory sampler summing the
    process tree counted as 760 MB of peak (bench/run.py, 2 of 4 runs).
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def release_free_memory() -> bool:
    """Return freed heap pages to the OS; True if any were released (always False where unsupported)."""
    libc = _libc()
    return bool(libc.malloc_trim(0)) if libc is not None else False
