"""The speedup table's CPython side, for the pools lesson's `speedup` section.

Usage: python3 speedup.py N COUNT WORKERS [ROUNDS]
COUNT calls of fibonacci(N), three ways: one after another, in a
ThreadPoolExecutor of WORKERS threads, and in a multiprocessing.Pool of
WORKERS processes. The ways take turns for ROUNDS rounds (default 3) and
each keeps its best wall time, printed as `sequential S`, `threads S` and
`processes S`; then `threads_cpu_per_wall R`, the CPU the thread pool used
per second of wall time (about 1 under the GIL).
"""

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import Pool


def fibonacci(n):
    if n < 2:
        return n
    return fibonacci(n - 1) + fibonacci(n - 2)


# shown:
def in_a_row(calls, workers):
    return [fibonacci(n) for n in calls]


def thread_pool(calls, workers):
    with ThreadPoolExecutor(max_workers=workers) as executor:
        return list(executor.map(fibonacci, calls))


def process_pool(calls, workers):
    with Pool(processes=workers) as pool:
        return pool.map(fibonacci, calls)
# end shown


def timed(way, calls, workers):
    cpu, wall = time.process_time(), time.perf_counter()
    answers = way(calls, workers)
    return time.perf_counter() - wall, time.process_time() - cpu, answers


if __name__ == "__main__":
    n, count, workers = (int(a) for a in sys.argv[1:4])
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    calls = [n] * count
    ways = {"sequential": in_a_row, "threads": thread_pool,
            "processes": process_pool}
    best = {name: (float("inf"), 0.0) for name in ways}
    expected = in_a_row(calls, workers)
    for _ in range(rounds):
        for name, way in ways.items():
            wall, cpu, answers = timed(way, calls, workers)
            assert answers == expected, f"{name} computed {answers}"
            best[name] = min(best[name], (wall, cpu))
    for name, (wall, _) in best.items():
        print(name, wall)
    wall, cpu = best["threads"]
    print("threads_cpu_per_wall", cpu / wall)
