"""Fetching many pages in real CPython, for the pools lesson's `fetch` section.

Usage: python3 fetch.py PORT REQUESTS WORKERS
Fetches REQUESTS pages from the lesson's slow service on 127.0.0.1:PORT three
ways: one after another, one thread per request, and a ThreadPoolExecutor of
WORKERS threads. Prints, for each way, its wall time (`sequential`,
`threads`, `pool`) and its CPU time (`sequential_cpu`, ...) in seconds, and
`pages`, how many pages came back in all.
"""

import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

# Straight to 127.0.0.1: a proxy set in the environment must not see these.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
PORT = int(sys.argv[1])


# shown:
def fetch(i):
    url = f"http://127.0.0.1:{PORT}/page/{i}"
    with OPENER.open(url, timeout=30) as reply:  # GIL released: it waits
        return reply.read()


def in_a_pool(n, workers):
    with ThreadPoolExecutor(max_workers=workers) as executor:
        return list(executor.map(fetch, range(n)))
# end shown


def one_after_another(n, workers):
    return [fetch(i) for i in range(n)]


def thread_per_request(n, workers):
    pages = [None] * n

    def worker(i):
        pages[i] = fetch(i)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return pages


def timed(way, n, workers):
    cpu, wall = time.process_time(), time.perf_counter()
    pages = way(n, workers)
    return time.perf_counter() - wall, time.process_time() - cpu, pages


if __name__ == "__main__":
    requests, workers = int(sys.argv[2]), int(sys.argv[3])
    got = 0
    for name, way in [
        ("sequential", one_after_another),
        ("threads", thread_per_request),
        ("pool", in_a_pool),
    ]:
        wall, cpu, pages = timed(way, requests, workers)
        got += sum(1 for page in pages if page)
        print(name, wall)
        print(name + "_cpu", cpu)
    print("pages", got)
