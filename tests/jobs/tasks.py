"""Jobs the tests enqueue (module level, as django-tasks requires; worker subprocesses import them too)."""

import time
from pathlib import Path

from jobs.retry import GiveUp, job

CALLS: list[dict] = []


@job(max_attempts=3)
def flaky(*, fail_times: int, key: str) -> str:
    """Fails its first `fail_times` runs (counted per `key` in this process)."""
    CALLS.append({"key": key})
    if sum(1 for call in CALLS if call["key"] == key) <= fail_times:
        raise ConnectionError(f"attempt {len(CALLS)} failed")
    return "done"


@job(max_attempts=2)
def broken(*, reason: str) -> None:
    raise ValueError(reason)


@job()
def hopeless(*, reason: str) -> None:
    raise GiveUp(reason)


@job()
def slow_marker(*, path: str, seconds: float) -> str:
    """Appends `start <pid>` to `path`, sleeps, then appends `done <pid>` (a worker may be killed meanwhile)."""
    import os

    marker = Path(path)
    with marker.open("a") as out:
        out.write(f"start {os.getpid()}\n")
    time.sleep(seconds)
    with marker.open("a") as out:
        out.write(f"done {os.getpid()}\n")
    return "done"


@job(max_attempts=2)
def dies(*, path: str, test_pid: int) -> None:
    """Notes its run in `path`, then its process dies (SIGKILL), as a work horse killed by the OOM killer does;
    never in the test process itself."""
    import os
    import signal

    with Path(path).open("a") as out:
        out.write(f"run {os.getpid()}\n")
    if os.getpid() == test_pid:
        raise RuntimeError("run by the test process itself: not killing it")
    os.kill(os.getpid(), signal.SIGKILL)
