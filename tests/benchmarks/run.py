"""Run the benchmarks in a fresh, migrated database and write a Markdown report.

    python -m tests.benchmarks.run --out var/bench/report-sqlite.md [--only triage,booking]

Each `tests/benchmarks/bench_<area>.py` exposes `run() -> str` (a Markdown section). The
database is the one DATABASE_URL names (a `test_` copy of it is created and dropped).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import platform
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path


def _modules(only: set[str] | None) -> list[str]:
    package = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(package)]) if m.name.startswith("bench_"))
    return [n for n in names if only is None or n.removeprefix("bench_") in only]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--only", default="", help="comma-separated areas, e.g. triage,booking")
    args = parser.parse_args()
    only = {a.strip() for a in args.only.split(",") if a.strip()} or None

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment(debug=False)
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    vendor = connection.vendor
    sections = [
        f"# Benchmarks on {vendor}",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        f"- database: {vendor} ({connection.display_name})",
        "",
    ]
    failed = False
    try:
        for name in _modules(only):
            started = time.perf_counter()
            print(f"running {name} on {vendor} ...", flush=True)
            try:
                module = importlib.import_module(f"tests.benchmarks.{name}")
                sections.append(module.run().rstrip() + "\n")
            except Exception:
                failed = True
                sections.append(f"## {name}\n\nFAILED:\n\n```\n{traceback.format_exc()}\n```\n")
                traceback.print_exc()
            print(f"  {name} took {time.perf_counter() - started:.1f}s", flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(sections))
    print(f"wrote {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
