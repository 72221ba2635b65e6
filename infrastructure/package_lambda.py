"""Builds the Lambda code directory the CDK app deploys: this project and its run-time dependencies for Lambda's
Python 3.11 on x86_64, as prebuilt manylinux wheels (no Docker, no compiler), then reports the unzipped size.

    python infrastructure/package_lambda.py [--extras aws] [--out infrastructure/build/lambda]

`--extras aws,bedrock --use-runtime-sdk` adds the LLM engines (Strands on Bedrock) for a stage deployed with
`-c engine=cascade|agent`; with the MiniLM ensemble that is the only LLM package that fits.
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
# Installed as dependencies but never imported at run time: the Hugging Face hub client that `tokenizers` pulls in
# (it downloads models; the package never does: the encoder ships in model/artifacts/) and its transfer backend.
# So is the training stack: `learn` and `train` need scikit-learn (a default dependency, so an operator can teach
# the router its routing after a plain install), but routing only applies exported arrays with numpy.
NOT_AT_RUN_TIME = ("huggingface_hub", "hf_xet", "sklearn", "scikit_learn", "scikit_learn.libs", "scipy",
                   "scipy.libs", "joblib", "threadpoolctl")
# The AWS SDK that Lambda's Python runtime already has (`--use-runtime-sdk`): about 33 MB, at the price of running
# on whatever SDK version the runtime carries that day.
RUNTIME_SDK = ("boto3", "botocore", "s3transfer")
PLATFORM = ("--platform", "manylinux_2_28_x86_64", "--platform", "manylinux2014_x86_64",
            "--implementation", "cp", "--python-version", "3.11", "--only-binary=:all:")


def build(out: Path, extras: str, project: Path = ROOT, also: tuple[str, ...] = (),
          drop: tuple[str, ...] = NOT_AT_RUN_TIME) -> None:
    """The project's wheel first (pure Python, built here), then it and its dependencies as Lambda's wheels."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="ticket-router-wheel-") as wheels:
        run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels, str(project)])
        (wheel,) = Path(wheels).glob("ticket_router-*.whl")
        target = f"{wheel}[{extras}]" if extras else str(wheel)
        run([sys.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--target", str(out), *PLATFORM,
             target, *also])
    for cache in out.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    for name in drop:
        for path in [out / name, *out.glob(f"{name}-*.dist-info")]:
            shutil.rmtree(path, ignore_errors=True)


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
    parser.add_argument("--project", type=Path, default=ROOT, help="the checkout to package (default: this one)")
    parser.add_argument("--also", nargs="*", default=[], help="more requirements to install beside the project")
    parser.add_argument("--use-runtime-sdk", action="store_true", help="leave out boto3/botocore: Lambda has them")
    args = parser.parse_args()
    drop = NOT_AT_RUN_TIME + (RUNTIME_SDK if args.use_runtime_sdk else ())
    build(args.out, args.extras, args.project, tuple(args.also), drop)
    total, per_entry = sizes(args.out)
    print(f"{args.out}: {total / MIB:.1f} MB unzipped (extras: {args.extras or 'none'}); Lambda's limit is "
          f"{LAMBDA_LIMIT_MB} MB")
    for name, size in per_entry.most_common(args.top):
        print(f"  {size / MIB:7.1f} MB  {name}")
    if total > LAMBDA_LIMIT_MB * MIB:
        sys.exit(f"error: {total / MIB:.1f} MB is over Lambda's {LAMBDA_LIMIT_MB} MB unzipped limit")


if __name__ == "__main__":
    main()
