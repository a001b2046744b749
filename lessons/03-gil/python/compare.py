"""The notebook's experiment in real CPython, for `cargo run -p gil -- --compare-python`.

Usage: python3 compare.py N [ROUNDS]
Runs the three variants in turn, ROUNDS times (default 3), and prints one line
per variant: its name and its best wall time in seconds. The best of a few
interleaved rounds is the run the rest of the machine disturbed least. Last,
`threads_cpu_per_wall`: the CPU seconds the threaded run used per second of
wall time, about 1 when the GIL lets one thread run at a time.
"""

import sys
import threading
import time
from multiprocessing import Pool


def fibonacci(n):
    if n < 2:
        return n
    return fibonacci(n - 1) + fibonacci(n - 2)


def timed(run):
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def cpu_per_wall(run):
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return (time.process_time() - cpu) / (time.perf_counter() - wall)


# shown:
def in_a_row(n):
    fibonacci(n)
    fibonacci(n)


def on_two_threads(n):
    threads = [threading.Thread(target=fibonacci, args=(n,)),
               threading.Thread(target=fibonacci, args=(n,))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def in_two_processes(n):
    with Pool(processes=2) as pool:
        pool.map(fibonacci, [n, n])
# end shown


if __name__ == "__main__":
    n = int(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    fibonacci(20)  # warm up
    variants = {
        "sequential": in_a_row,
        "threads": on_two_threads,
        "processes": in_two_processes,
    }
    best = {name: float("inf") for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            best[name] = min(best[name], timed(lambda: run(n)))
    for name, seconds in best.items():
        print(name, seconds)
    print("threads_cpu_per_wall", cpu_per_wall(lambda: on_two_threads(n)))
