"""Where list pages are built: one worker thread at a time per event loop, unless it is busy.

A list page is ~1 ms of Python (queries, cells, template) run in the threadpool, so the event
loop never waits on the database.  When several run at once they only take turns on the
GIL: every hand-over (and SQLite releases the GIL on every call) costs CPU, about a quarter
of a list request's CPU under four concurrent requests (measured in `bench/README.md`).  So
list pages queue for one "page slot" in the event loop, where waiting costs nothing, and
run in the threadpool one at a time.

A slow page (a long query) must not hold up the others: a page that has waited
`MAX_WAIT` seconds for the slot runs in the threadpool beside it, as before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar

T = TypeVar("T")

MAX_WAIT = 0.05  # seconds a page waits for the slot before it runs beside the busy one

_slot: RunVar[anyio.Lock] = RunVar("fasthx_page_slot")


def _current_slot() -> anyio.Lock:
    """The slot of the running event loop (a lock is bound to its loop)."""
    try:
        return _slot.get()
    except LookupError:
        lock = anyio.Lock()
        _slot.set(lock)
        return lock


async def run_page(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` in a worker thread, holding the page slot when it frees up within
    `MAX_WAIT`; the thread runs in the caller's context (context variables included)."""
    call = functools.partial(fn, *args)
    slot = _current_slot()
    held = False
    with anyio.move_on_after(MAX_WAIT):
        await slot.acquire()
        held = True
    if not held:  # a slow page holds the slot: run beside it
        return await anyio.to_thread.run_sync(call)
    try:
        return await anyio.to_thread.run_sync(call)
    finally:
        slot.release()


__all__ = ["MAX_WAIT", "run_page"]
