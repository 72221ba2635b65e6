"""Builds the Lambda code directory the CDK app deploys: this project and its run-time dependencies for Lambda's
Python 3.11 on x86_64, as prebuilt manylinux wheels (no Docker, no compiler), then reports the unzipped size.

    python infrastructure/package_lambda.py [--extras aws] [--out infrastructure/build/lambda]

`--extras aws,agent` adds the LLM engines (Strands) for a stage deployed with `-c engine=cascade|agent`.
Lambda's limit is 250 MB unzipped for the function code and its layers together.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "infrastructure" / "build" / "lambda"
LAMBDA_LIMIT_MB = 250  # 262,144,000 bytes: Lambda counts in MiB
MIB = 2**20
PLATFORM = ("--platform", "manylinux_2_28_x86_64", "--platform", "manylinux2014_x86_64",
            "--implementation", "cp", "--python-version", "3.11", "--only-binary=:all:")


def build(out: Path, extras: str) -> None:
    """The project's wheel first (pure Python, built here), then it and its dependencies as Lambda's wheels."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="ticket-router-wheel-") as wheels:
        run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels, str(ROOT)])
        (wheel,) = Path(wheels).glob("ticket_router-*.whl")
        target = f"{wheel}[{extras}]" if extras else str(wheel)
        run([sys.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--target", str(out), *PLATFORM,
             target])
    for cache in out.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def run(command: list[str]) -> None:
    result = subprocess.run(command, check=False)
    if result.returncode != 0:
        sys.exit(f"error: `{' '.join(command[:6])} …` failed with exit status {result.returncode}")


def sizes(out: Path) -> tuple[int, Counter[str]]:
    """Total bytes, and bytes per top-level entry (a package, or its .dist-info folded into it)."""
    per_entry: Counter[str] = Counter()
    for path in out.rglob("*"):
        if path.is_file() and not path.is_symlink():
            top = path.relative_to(out).parts[0]
            per_entry[top.split("-")[0] if top.endswith(".dist-info") else top] += path.stat().st_size
    return sum(per_entry.values()), per_entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the code directory (replaced)")
    parser.add_argument("--extras", default="aws", help="the project's extras to install (comma-separated)")
    parser.add_argument("--top", type=int, default=8, help="largest entries to list")
    args = parser.parse_args()
    build(args.out, args.extras)
    total, per_entry = sizes(args.out)
    print(f"{args.out}: {total / MIB:.1f} MB unzipped (extras: {args.extras or 'none'}); Lambda's limit is "
          f"{LAMBDA_LIMIT_MB} MB")
    for name, size in per_entry.most_common(args.top):
        print(f"  {size / MIB:7.1f} MB  {name}")
    if total > LAMBDA_LIMIT_MB * MIB:
        sys.exit(f"error: {total / MIB:.1f} MB is over Lambda's {LAMBDA_LIMIT_MB} MB unzipped limit")


if __name__ == "__main__":
    main()
