"""Give memory the build has freed back to the operating system.

A long build allocates and frees a chunk's worth of parse state (numpy arrays,
spaCy docs, assembled triples) over and over; glibc's allocator keeps freed
pages mapped, so the resident size creeps up with the corpus although the live
data does not. ``malloc_trim(0)`` returns those pages. Elsewhere (macOS,
musl, Windows) this is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def release_free_memory() -> bool:
    """Return freed heap pages to the OS; True if any were released (always False where unsupported)."""
    libc = _libc()
    return bool(libc.malloc_trim(0)) if libc is not None else False
