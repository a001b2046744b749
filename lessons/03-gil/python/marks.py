"""The notebook's `_` and `*` marks in real CPython, for the gil lesson.

Usage: python3 marks.py N [ROUNDS]
Runs the notebook's cell ROUNDS times (default 3): two threads compute
fibonacci(N), one writing `_` at every call, the other `*`. Each round's
marks come out on one line, followed by a line `seconds S`: how long the
round took. First, `alone S`: how long one fibonacci(N) takes on its own
(writing empty marks).
"""

import sys
import threading
import time


# shown:
def fibonacci(n, message):
    sys.stdout.write(message)
    if n < 2:
        return n
    return fibonacci(n - 1, message) + fibonacci(n - 2, message)


def super_expensive(n):
    thread_one = threading.Thread(target=fibonacci, args=(n, "_"))
    thread_one.start()
    thread_two = threading.Thread(target=fibonacci, args=(n, "*"))
    thread_two.start()
    thread_one.join()
    thread_two.join()
# end shown


if __name__ == "__main__":
    n = int(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    start = time.perf_counter()
    fibonacci(n, "")
    print("alone %f" % (time.perf_counter() - start))
    for _ in range(rounds):
        start = time.perf_counter()
        super_expensive(n)
        seconds = time.perf_counter() - start
        sys.stdout.write("\nseconds %f\n" % seconds)
