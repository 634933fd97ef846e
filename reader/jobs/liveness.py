"""Who runs a job, whether that process still lives, and making children die with their parent.

A worker is named ``host:pid:start`` (``start`` is the process's start time in clock ticks since boot,
from /proc), so a process id reused by another program after the worker died is not taken for it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import sys
from functools import cache

PR_SET_PDEATHSIG = 1


def _start_ticks(pid: int) -> str | None:
    """The start time of process ``pid`` (field 22 of /proc/pid/stat), None if it is gone or a zombie."""
    try:
        stat = open(f"/proc/{pid}/stat", encoding="ascii", errors="replace").read()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # the command name may hold spaces and parentheses
    return None if fields[0] in "ZX" else fields[19]


@cache
def worker_name() -> str:
    """This process as a job's worker: host, process id and start time."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid) or ''}"


def is_dead(worker: str) -> bool:
    """True when ``worker`` ran on this host and its process is gone (killed, crashed, its id reused).
    A worker on another host cannot be seen from here: False (its heartbeat tells)."""
    host, _, rest = worker.partition(":")
    pid, _, start = rest.partition(":")
    if host != socket.gethostname() or not pid.isascii() or not pid.isdigit():
        return False
    if not os.path.isdir("/proc/self"):  # no /proc: only whether the id is taken
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    now = _start_ticks(int(pid))
    return now is None or bool(start) and now != start


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (kill -9 of a worker takes its children with
    it); a no-op elsewhere. If the parent is already gone, exit at once."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
