"""Size of the default install: a fresh venv with `pip install .` (no extras), the size of its site-packages less
pip itself, and the largest packages in it.

    python benchmarks/install_size.py

The Lambda code directory is measured by `python infrastructure/package_lambda.py`, which builds it the way the CDK
app deploys it (Lambda's wheels, without what routing never imports).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLING = ("pip", "setuptools", "_distutils_hack", "distutils-precedence.pth", "pkg_resources")


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def report(site: Path, label: str) -> None:
    entries = [p for p in site.iterdir() if not p.name.startswith(TOOLING) and p.name != "__pycache__"]
    sizes = sorted(((size_mb(p), p.name) for p in entries), reverse=True)
    print(f"{label}: {sum(s for s, _ in sizes):.0f} MB")
    print("  largest: " + ", ".join(f"{name} {size:.0f} MB" for size, name in sizes[:8]))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(ROOT)], check=True)
        report(next((venv / "lib").glob("python*/site-packages")), "default install (fresh venv, `pip install .`)")


if __name__ == "__main__":
    main()
