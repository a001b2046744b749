"""What starting a thread and a process costs in real CPython, for the
pools lesson's `processes` section.

Usage: python3 start_costs.py THREADS PROCESSES
Starts and joins THREADS threads one at a time, then PROCESSES processes
with each start method this platform has (`spawn` everywhere, `fork` on
Linux and macOS). Prints the fastest start of each, in seconds: `thread S`,
`spawn S`, `fork S`.
"""

import multiprocessing
import sys
import threading
import time


def nothing():
    pass


# shown:
def fastest_start(start, times):
    best = float("inf")
    for _ in range(times):
        began = time.perf_counter()
        worker = start(target=nothing)
        worker.start()
        worker.join()
        best = min(best, time.perf_counter() - began)
    return best


# fastest_start(threading.Thread, ...)
# fastest_start(multiprocessing.get_context("spawn").Process, ...)
# end shown


if __name__ == "__main__":
    threads, processes = int(sys.argv[1]), int(sys.argv[2])
    print("thread", fastest_start(threading.Thread, threads))
    for method in multiprocessing.get_all_start_methods():
        if method in ("spawn", "fork"):
            context = multiprocessing.get_context(method)
            print(method, fastest_start(context.Process, processes))
