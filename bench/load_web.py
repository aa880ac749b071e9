"""Load test of `cil serve`, run by hand (never by CI): simulated users browse and upload while
builds run; prints the median and 95th percentile of page times, and every error.

    .venv/bin/python bench/load_web.py [--users 20] [--seconds 60] [--builds 4]

The server runs in its own process (uvicorn, as `cil serve` starts it) over copies of the
example territories, with one editor account per simulated user. Each user logs in, then loops
over the pages of the territory, posting the exported workbook back for a preview one time in
five. The builds are asked for at the start, by separate accounts, through the build form (the
server's pool runs two at a time, at a lower priority). Pages and uploads are timed apart; the
machine's load average is printed before and after, since the figures mean little without it.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "charge-de-test-2025"
T = "/t/cc-rhone-crussol"
PAGES = [T, f"{T}/construire", f"{T}/historique", f"{T}/annees", f"{T}/seances/07070"]
SERVER = """
import sys
from pathlib import Path
import uvicorn
from generator.web.app import Settings, create_app
from generator.web.access import hash_password
tmp, port, users = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
app = create_app(Settings(data=tmp / "data", territories=tmp / "territories", workers=2))
store = app.state.application.store
hashed = hash_password(sys.argv[4])
for number in range(users):
    store.add_user(f"user{number}", hashed, "editor", "cc-rhone-crussol")
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
"""


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    return found.group(1) if found else ""


def _client(base: str, username: str) -> httpx2.Client:
    client = httpx2.Client(base_url=base, timeout=120)
    page = client.get("/connexion")
    client.post(
        "/connexion", data={"username": username, "password": PASSWORD, "csrf": _csrf(page.text)}
    )
    return client


def _state(job_page: str) -> str:
    found = re.search(r'class="etat">([^<]*)<', job_page)
    return found.group(1) if found else "?"


def _summary(found: list[float]) -> str:
    if not found:
        return "none"
    ordered = sorted(found)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    median = statistics.median(ordered)
    return f"{len(ordered)} requests, median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--builds", type=int, default=4)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cil-load-"))
    for name in ("cc-rhone-crussol", "exemple-fictif"):
        shutil.copytree(ROOT / "territories" / name, tmp / "territories" / name)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    accounts = args.users + args.builds
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(tmp), str(port), str(accounts), PASSWORD]
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx2.get(f"{base}/connexion", timeout=1)
                break
            except httpx2.TransportError:
                time.sleep(0.1)
        times: dict[str, list[float]] = {"page": [], "upload": []}
        errors: list[str] = []
        load_before = os.getloadavg()
        lock = threading.Lock()
        builders: list[httpx2.Client] = []
        jobs: list[str] = []
        for number in range(args.builds):
            builder = _client(base, f"user{args.users + number}")
            builders.append(builder)
            form = builder.get(f"{T}/construire").text
            asked = builder.post(
                f"{T}/construire",
                data={
                    "csrf": _csrf(form),
                    "documents": ["cia", "ppgdid", "deliberations"],
                    "formats": ["docx", "pdf"],
                    "year": "2025",
                },
            )
            jobs.append(asked.headers.get("location", f"{T}/construire"))
        workbook = _client(base, "user0").get(f"{T}/classeur.xlsx").content
        stop = time.monotonic() + args.seconds

        def user(number: int) -> None:
            client = _client(base, f"user{number}")
            step = 0
            while time.monotonic() < stop:
                step += 1
                started = time.perf_counter()
                try:
                    if step % 5 == 0:
                        token = _csrf(client.get(T).text)
                        response = client.post(
                            f"{T}/import",
                            data={"csrf": token, "table": ""},
                            files={"fichier": ("classeur.xlsx", io.BytesIO(workbook))},
                        )
                        what, kind = "upload", "upload"
                    else:
                        what, kind = PAGES[step % len(PAGES)], "page"
                        response = client.get(what)
                    elapsed = time.perf_counter() - started
                    with lock:
                        times[kind].append(elapsed)
                        if response.status_code != 200:
                            errors.append(f"{what}: {response.status_code}")
                except httpx2.HTTPError as error:
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}")

        threads = [threading.Thread(target=user, args=(n,)) for n in range(args.users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        load_after = os.getloadavg()
        states = [_state(builders[0].get(job).text) for job in jobs]
        print(
            f"{args.users} users for {args.seconds:.0f} s; {args.builds} builds asked, "
            f"at the end: {', '.join(states)}"
        )
        for kind, found in times.items():
            print(f"{kind}s: {_summary(found)}")
        print(f"all: {_summary(times['page'] + times['upload'])}")
        print(
            f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f} "
            f"(1 min) on {os.cpu_count()} cores"
        )
        print(f"{len(errors)} errors" + ("".join(f"\n  {e}" for e in errors[:20])))
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
