"""The notebook's experiment in real CPython, for `cargo run -p gil -- --compare-python`.

Usage: python3 compare.py N
Prints one line per run: its name and its wall time in seconds.
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


def in_a_row(n):
    fibonacci(n)
    fibonacci(n)


def on_two_threads(n):
    threads = [threading.Thread(target=fibonacci, args=(n,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def in_two_processes(n):
    with Pool(processes=2) as pool:
        pool.map(fibonacci, [n, n])


if __name__ == "__main__":
    n = int(sys.argv[1])
    fibonacci(20)  # warm up
    print("sequential", timed(lambda: in_a_row(n)))
    print("threads", timed(lambda: on_two_threads(n)))
    print("processes", timed(lambda: in_two_processes(n)))
