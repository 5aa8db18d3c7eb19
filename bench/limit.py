"""The physical limit of a build on this machine: reading a corpus and writing its output.

    python bench/limit.py CORPUS_FOLDER PUBLIC_FOLDER

Reads every file under ``CORPUS_FOLDER/content`` (bytes only: no parsing), then writes the
bytes of every file under ``PUBLIC_FOLDER`` (a folder a build published) into a fresh folder
beside it and makes them durable with one sync, as a build's staging does. Prints the wall
and CPU seconds of each, in a fresh process each, so no build can be faster than their sum.
The page cache is left as it is: the corpus is read warm, as a cron job's next run reads it.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path


def timed(label: str, work: object) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    count, size = work() if callable(work) else (0, 0)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label}: {count:,} files, {size / 2**20:,.0f} MiB: {wall:.2f} s, {cpu:.2f} CPU s")


def read_all(folder: Path) -> tuple[int, int]:
    count = size = 0
    for root, _, names in os.walk(folder):
        for name in names:
            with open(os.path.join(root, name), "rb") as handle:
                size += len(handle.read())
            count += 1
    return count, size


def write_all(source: Path, destination: Path) -> tuple[int, int]:
    files = [p for p in source.rglob("*") if p.is_file()]
    data = {p.relative_to(source): p.read_bytes() for p in files}  # read before the clock
    wall, cpu = time.perf_counter(), time.process_time()
    for relative, content in data.items():
        path = destination / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    os.sync()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"  writing alone: {wall:.2f} s, {cpu:.2f} CPU s")
    return len(data), sum(map(len, data.values()))


def main() -> None:
    corpus, public = Path(sys.argv[1]), Path(sys.argv[2])
    timed("read the corpus", lambda: read_all(corpus / "content"))
    copy = public.parent / f"{public.name}-limit-copy"
    shutil.rmtree(copy, ignore_errors=True)
    try:
        timed("write the output (and read it first)", lambda: write_all(public, copy))
    finally:
        shutil.rmtree(copy, ignore_errors=True)


if __name__ == "__main__":
    main()
