"""Two threads racing on one counter in real CPython, for the refcounting
lesson's `race` section.

Usage: python3 racing_counter.py N [ROUNDS]
Two threads each add 1 to a global counter N times, ROUNDS times over
(default 3): first with a plain `counter += 1`, then with a call between
reading the counter and writing it back. Prints the updates lost in each
round: `plain LOST LOST LOST` and `with_a_call LOST LOST LOST`.
"""

import sys
import threading

counter = 0


# shown:
def plain(n):
    global counter
    for _ in range(n):
        counter += 1


def nothing():
    pass


def with_a_call(n):
    global counter
    for _ in range(n):
        seen = counter
        nothing()  # a call: CPython may switch threads here
        counter = seen + 1
# end shown


def lost(adder, n):
    global counter
    counter = 0
    threads = [threading.Thread(target=adder, args=(n,)),
               threading.Thread(target=adder, args=(n,))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return 2 * n - counter


if __name__ == "__main__":
    n = int(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    for adder in (plain, with_a_call):
        print(adder.__name__, *[lost(adder, n) for _ in range(rounds)])
