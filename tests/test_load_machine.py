"""The CPU meter of `make load` (tests/load_machine.py), on a /proc written by the test."""

import os
import sys

import pytest

from tests.load_machine import CATEGORIES, TICK, Meter, process_times, report_lines


def write_process(proc, pid, parent, name, ticks, children=0):
    """A /proc/<pid>/stat as Linux writes it: utime, stime, cutime and cstime are fields
    14 to 17."""
    folder = proc / str(pid)
    folder.mkdir(exist_ok=True)
    fields = ["S", str(parent)] + ["0"] * 9 + [str(ticks), "0", str(children), "0"] + ["0"] * 28
    (folder / "stat").write_text(f"{pid} ({name}) {' '.join(fields)}\n")


def write_machine(proc, busy, idle):
    # user nice system idle iowait irq softirq steal
    (proc / "stat").write_text(f"cpu  {busy} 0 0 {idle} 7 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0\n")


@pytest.fixture
def proc(tmp_path):
    write_machine(tmp_path, busy=1000, idle=5000)
    write_process(tmp_path, 10, 1, "python", 100)  # a gunicorn master
    write_process(tmp_path, 11, 10, "python", 200)  # its worker
    write_process(tmp_path, 20, 1, "python", 300)  # a task worker
    write_process(tmp_path, 30, 1, "postgres", 400)
    write_process(tmp_path, 31, 30, "postgres: walwriter", 10)
    write_process(tmp_path, 40, 1, "redis-server", 50)
    write_process(tmp_path, os.getpid(), 1, "python", 60)
    write_process(tmp_path, 50, 1, "sshd (session)", 70)
    return tmp_path


def test_meter_sorts_each_process_cpu_into_its_category(proc):
    meter = Meter(servers=[10], workers=[20], proc=proc)
    meter.start()
    write_machine(proc, busy=1000 + 9 * TICK, idle=6000)
    write_process(proc, 10, 1, "python", 100 + TICK)
    write_process(proc, 11, 10, "python", 200 + 2 * TICK)
    write_process(proc, 12, 10, "python", TICK)  # a worker started during the phase
    write_process(proc, 20, 1, "python", 300 + TICK // 2)
    write_process(proc, 30, 1, "postgres", 400 + TICK)
    write_process(proc, 31, 30, "postgres: walwriter", 10 + TICK // 2)
    write_process(proc, 40, 1, "redis-server", 50 + TICK // 4)
    write_process(proc, os.getpid(), 1, "python", 60 + TICK // 4)
    write_process(proc, 50, 1, "sshd (session)", 70 + TICK)

    spent, busy = meter.stop("rush")

    assert spent == {
        "app servers (gunicorn)": 4.0,
        "task workers (db_worker)": 0.5,
        "database (PostgreSQL)": 1.5,
        "cache (Redis)": 0.25,
        "load client (this process)": 0.25,
        "rest of the machine": 1.0,
    }
    assert busy == 9.0
    assert meter.usage == {"rush": (spent, busy)}


def test_an_ended_process_counts_through_its_parent(proc):
    meter = Meter(servers=[10], workers=[20], proc=proc)
    write_process(proc, 32, 30, "postgres", 40)  # a backend, before the phase
    meter.start()
    # It works 1 s more, ends and is waited for: PostgreSQL's postmaster gets its life.
    (proc / "32" / "stat").unlink()
    (proc / "32").rmdir()
    write_process(proc, 30, 1, "postgres", 400, children=40 + TICK)

    spent, _busy = meter.stop("rush")

    assert spent["database (PostgreSQL)"] == pytest.approx(1.0)


def test_a_reused_pid_counts_from_zero(proc):
    meter = Meter(servers=[10], workers=[20], proc=proc)
    meter.start()
    write_process(proc, 40, 1, "redis-server", 5)  # redis restarted on the same pid

    spent, _busy = meter.stop("rush")

    assert spent["cache (Redis)"] == 5 / TICK


def test_without_proc_there_is_nothing_to_report(tmp_path):
    meter = Meter(servers=[10], workers=[20], proc=tmp_path / "absent")
    meter.start()

    assert meter.stop("rush") == ({}, None)
    assert report_lines([("rush", 10, {}, None, 1.0)], cores=2) == []


def test_report_gives_milliseconds_a_request_and_the_busy_share():
    spent = dict.fromkeys(CATEGORIES, 0.0) | {"app servers (gunicorn)": 1.5}
    lines = report_lines([("bare view", 1000, spent, 2.0, 1.0), ("rush", 100, spent, 1.0, 1.0)], 2)

    assert lines[0].endswith("   bare view        rush")
    assert lines[1].split()[-2:] == ["1.50", "15.00"]  # app servers: 1.5 s over 1,000 and 100
    assert lines[-2].split()[-2:] == ["2.00", "10.00"]  # whole machine
    assert lines[-1].split()[-2:] == ["100%", "50%"]  # 2 s busy of 2 cores in 1 s, then 1 s


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux's /proc")
def test_this_machine_reports_this_process_and_its_work():
    before = process_times()[os.getpid()]
    total = sum(number * number for number in range(3_000_000))
    after = process_times()[os.getpid()]

    assert total > 0
    assert before[0] == os.getppid()
    assert after[2] > before[2]
