"""The convoy effect in real CPython, for the gil lesson's `convoy` section.

Usage: python3 convoy.py CALLS
A thread makes CALLS blocking calls of 100 µs, first alone, then while a
CPU-bound thread runs pure Python. Prints the average time per call of each:
`alone SECONDS` and `beside SECONDS`, and the switch interval.
"""

import sys
import threading
import time


def fibonacci(n):
    if n < 2:
        return n
    return fibonacci(n - 1) + fibonacci(n - 2)


# shown:
def poll(calls):
    start = time.perf_counter()
    for _ in range(calls):
        time.sleep(0.0001)  # 100 µs; the GIL is released meanwhile
    return (time.perf_counter() - start) / calls


def keep_busy(done):
    while not done.is_set():
        fibonacci(20)  # pure Python: it holds the GIL


def convoy(calls):
    alone = poll(calls)
    done = threading.Event()
    cpu = threading.Thread(target=keep_busy, args=(done,))
    cpu.start()
    beside = poll(calls)
    done.set()
    cpu.join()
    return alone, beside
# end shown


if __name__ == "__main__":
    alone, beside = convoy(int(sys.argv[1]))
    print("alone", alone)
    print("beside", beside)
    print("interval", sys.getswitchinterval())
