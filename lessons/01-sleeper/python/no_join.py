"""Forgetting to join in real CPython, for the sleeper lesson's `no-join`
section.

Usage: python3 no_join.py daemon|plain NAP
Starts a sleeper thread that naps NAP seconds, daemon or not, waits until
it has spoken, and lets the main code end without joining it. With a plain
thread, Python waits for the sleeper before the process exits; with a
daemon thread, it does not. Last, from an exit handler (which runs after
Python has waited for its ordinary threads): `ends S`, the seconds from the
start of `main` to the exit.
"""

import atexit
import sys
import threading
import time

START = time.perf_counter()


# shown:
def sleeper(nap, spoke):
    print(f"sleeper: going to sleep for {nap} s", flush=True)
    spoke.set()
    time.sleep(nap)
    print("sleeper: awake!", flush=True)


def main(daemon, nap):
    spoke = threading.Event()
    t = threading.Thread(target=sleeper, args=(nap, spoke), daemon=daemon)
    t.start()
    spoke.wait()  # so that the output is the same on every run
    print("main: all done, no join", flush=True)
# end shown


def ends():
    print(f"ends {time.perf_counter() - START}", flush=True)


if __name__ == "__main__":
    atexit.register(ends)
    START = time.perf_counter()
    main(sys.argv[1] == "daemon", float(sys.argv[2]))
