"""Where the machine's CPU goes during a phase of `make load`, read from Linux's /proc.

The throughput ratio says how much slower the rush is than the bare view; this says why.
A `Meter` reads every process's CPU time (user and system) when a phase starts and when
it ends, sorts the difference into the app servers (the gunicorn instances and their
workers), the task workers, PostgreSQL, Redis, the load client (this process) and the
rest of the machine, and reads the machine's busy time from /proc/stat beside it. A
process that ends during the phase (a PostgreSQL backend whose connection reached its
CONN_MAX_AGE, a gunicorn worker replaced) is counted through its parent, which the
kernel credits with the CPU time of the children it has waited for; only a child whose
parent has not yet waited for it is missed. Without /proc (not Linux) the figures are
empty and nothing is printed.
"""

import os
from pathlib import Path

PROC = Path("/proc")
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
CATEGORIES = (
    "app servers (gunicorn)",
    "task workers (db_worker)",
    "database (PostgreSQL)",
    "cache (Redis)",
    "load client (this process)",
    "rest of the machine",
)


def process_times(proc=PROC):
    """{pid: (parent pid, command name, CPU seconds, its ended children's CPU seconds)} of
    every process; {} without /proc."""
    times = {}
    for entry in proc.glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it ended while we read
            continue
        # The command name is in parentheses and may hold spaces or parentheses itself.
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        # After the name: state, ppid, ...; utime, stime, cutime and cstime are fields 14
        # to 17 of proc(5).
        ticks = [int(value) for value in fields[11:15]]
        times[int(entry.name)] = (
            int(fields[1]),
            name,
            (ticks[0] + ticks[1]) / TICK,
            (ticks[2] + ticks[3]) / TICK,
        )
    return times


def machine_busy(proc=PROC):
    """The seconds all cores spent busy since boot (not idle, not waiting for a disk)."""
    try:
        first = (proc / "stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    ticks = [int(value) for value in first[1:]]
    idle, iowait = ticks[3], ticks[4]
    return (sum(ticks[:8]) - idle - iowait) / TICK


def category(pid, parent, name, servers, workers, client):
    if pid in servers or parent in servers:
        return CATEGORIES[0]
    if pid in workers:
        return CATEGORIES[1]
    if name.startswith("postgres"):
        return CATEGORIES[2]
    if name.startswith("redis-server"):
        return CATEGORIES[3]
    if pid == client:
        return CATEGORIES[4]
    return CATEGORIES[5]


class Meter:
    """CPU seconds by category between start() and stop(phase), kept in `usage`."""

    def __init__(self, servers=(), workers=(), proc=PROC):
        self.servers, self.workers, self.proc = set(servers), set(workers), proc
        self.client = os.getpid()
        self.usage = {}  # phase: stop(phase)'s answer

    def start(self):
        self.before, self.busy_before = process_times(self.proc), machine_busy(self.proc)

    def stop(self, phase):
        """{category: CPU seconds} and the machine's busy seconds since start(), also kept
        as `usage[phase]`; ({}, None) without /proc."""
        after, busy = process_times(self.proc), machine_busy(self.proc)
        if not after or busy is None or self.busy_before is None:
            self.usage[phase] = {}, None
            return self.usage[phase]
        spent = dict.fromkeys(CATEGORIES, 0.0)
        for pid, (parent, name, own, children) in after.items():
            seconds = own + children
            # A pid seen before with more CPU time was reused by a new process.
            earlier = self.before.get(pid)
            if earlier is not None and earlier[2] + earlier[3] <= seconds:
                seconds -= earlier[2] + earlier[3]
            where = category(pid, parent, name, self.servers, self.workers, self.client)
            spent[where] += seconds
        for pid, (parent, _name, own, children) in self.before.items():
            # An ended process: its parent's children's time now holds all its life,
            # of which the part before the phase was not spent in it.
            if pid not in after and parent in after:
                grand, name = after[parent][0], after[parent][1]
                where = category(parent, grand, name, self.servers, self.workers, self.client)
                spent[where] -= own + children
        self.usage[phase] = spent, busy - self.busy_before
        return self.usage[phase]


def report_lines(phases, cores):
    """Lines of a table: CPU milliseconds a request per category, one column per phase.

    `phases` is a list of (title, requests, {category: seconds}, machine busy seconds,
    wall seconds)."""
    if not phases or any(not spent for _title, _count, spent, _busy, _wall in phases):
        return []
    width = max(len(name) for name in CATEGORIES)
    lines = [f"  {'CPU ms a request (/proc)':<{width}}" + "".join(f"{t:>12}" for t, *_ in phases)]
    for name in CATEGORIES:
        lines.append(
            f"  {name:<{width}}"
            + "".join(
                f"{spent[name] / max(count, 1) * 1000:>12.2f}"
                for _t, count, spent, _b, _w in phases
            )
        )
    lines.append(
        f"  {'whole machine':<{width}}"
        + "".join(f"{busy / max(count, 1) * 1000:>12.2f}" for _t, count, _s, busy, _w in phases)
    )
    lines.append(
        f"  {f'busy share of {cores} cores':<{width}}"
        + "".join(f"{busy / (wall * cores):>12.0%}" for _t, _c, _s, busy, wall in phases)
    )
    return lines
