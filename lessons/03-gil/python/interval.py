"""The switch interval in real CPython, for the gil lesson's `interval` section.

Usage: python3 interval.py N [ROUNDS]
Two threads compute fibonacci(N) each, under a switch interval of 5 ms and
of 0.1 ms, taking turns for ROUNDS rounds (default 3). Prints the best wall
time of each: `at_5ms SECONDS` and `at_0.1ms SECONDS`.
"""

import sys
import threading
import time


def fibonacci(n):
    if n < 2:
        return n
    return fibonacci(n - 1) + fibonacci(n - 2)


# shown:
def two_threads(n, interval):
    sys.setswitchinterval(interval)
    threads = [threading.Thread(target=fibonacci, args=(n,)),
               threading.Thread(target=fibonacci, args=(n,))]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


# two_threads(n, 0.005) against two_threads(n, 0.0001)
# end shown


if __name__ == "__main__":
    n = int(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    intervals = {"at_5ms": 0.005, "at_0.1ms": 0.0001}
    best = {name: float("inf") for name in intervals}
    for _ in range(rounds):
        for name, interval in intervals.items():
            best[name] = min(best[name], two_threads(n, interval))
    for name, seconds in best.items():
        print(name, seconds)
