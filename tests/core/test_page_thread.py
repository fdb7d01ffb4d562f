"""List pages are built in a worker thread, one at a time (they would only take turns on the
GIL, at a cost), except beside a page that holds the slot too long."""

from __future__ import annotations

import contextvars
import threading
import time

import anyio

from fasthx_core.page_thread import MAX_WAIT, run_page

who = contextvars.ContextVar("who", default="nobody")


def run(main):
    """Run `main` in an event loop on a thread of its own, as a server would, whatever
    loop state earlier tests left in the main thread."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, main).result()


def test_a_page_is_built_in_a_worker_thread_with_the_callers_context() -> None:
    async def main() -> tuple[str, int, int]:
        who.set("alice")
        seen, worker = await run_page(
            lambda suffix: (who.get() + suffix, threading.get_ident()), "!")
        return seen, worker, threading.get_ident()

    seen, worker, loop_thread = run(main)
    assert seen == "alice!"
    assert worker != loop_thread


def test_pages_take_turns() -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def page() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.005)  # shorter than MAX_WAIT: the others wait for the slot
        with lock:
            running -= 1

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for _ in range(4):
                tg.start_soon(run_page, page)

    run(main)
    assert most == 1


def test_a_slow_page_does_not_hold_up_the_others() -> None:
    release = threading.Event()
    finished: list[str] = []

    def slow() -> None:
        release.wait(5)
        finished.append("slow")

    def quick() -> None:
        finished.append("quick")
        release.set()

    async def main() -> float:
        async with anyio.create_task_group() as tg:
            tg.start_soon(run_page, slow)
            await anyio.sleep(0.01)  # the slow page has the slot
            start = time.monotonic()
            await run_page(quick)
            return time.monotonic() - start

    waited = run(main)
    assert finished == ["quick", "slow"]
    assert MAX_WAIT * 0.9 <= waited < 2
