"""The learning curve of `ticket-router learn --promote`: how routing an operator's tickets improves with N of
their labels, and what it costs other operators.

    python benchmarks/learning_curve.py --operator data/operators/kestrel.jsonl \
        --other data/operators/harbour.jsonl data/dev/titles.jsonl data/dev/social.jsonl \
        [--sizes 0 50 100 200 400] [--weight 5] [--repeats 3]

For each N, N labelled tickets are drawn (stratified by team, seeded) from the operator's file and the rest are
held out. Each draw goes through what `ticket-router learn FILE --promote` does: `learn()` (cross-validation on
the N tickets, the memory strength chosen out of fold, the candidate trained on all N), then the promotion rule:
the candidate becomes the model only when it is not worse than the active one on the N tickets; otherwise the
active (shipped) model stays. That model is scored on the held-out operator tickets and on the other files
(other operators: the check that learning one operator does not cost the others more than a point). N = 0 is
the shipped model. With --repeats, every N > 0 is drawn that many times (seeds 13, 14, …) and the mean and half
the range are printed. Nothing trained here is kept.

Time `learn` itself through the CLI, e.g. on 1,000 labelled tickets:

    cat data/operators/kestrel.jsonl data/operators/harbour.jsonl > /tmp/l1000.jsonl
    time ticket-router learn /tmp/l1000.jsonl --db /tmp/learn-bench.db
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from ticket_router.model.candidate import load_artifact, shipped_artifact
from ticket_router.model.corpus import LabelledTicket
from ticket_router.model.learn import evaluate_classifier_predictions, learn, read_labelled
from ticket_router.policy import DEFAULT_POLICY


def read(path: Path) -> list[LabelledTicket]:
    good, bad = read_labelled(path.read_bytes(), "jsonl", DEFAULT_POLICY)
    if bad:
        raise SystemExit(f"{path}: {bad[0]}")
    return good


def draw(examples: list[LabelledTicket], n: int, seed: int) -> tuple[list[LabelledTicket], list[LabelledTicket]]:
    """N examples stratified by team (each team's share kept), and the rest."""
    rng = random.Random(seed)
    by_team: dict[str, list[int]] = {}
    for index, example in enumerate(examples):
        by_team.setdefault(example.team.value, []).append(index)
    chosen: list[int] = []
    for members in by_team.values():
        rng.shuffle(members)
        chosen += members[:round(n * len(members) / len(examples))]
    rest = [i for i in range(len(examples)) if i not in set(chosen)]
    while len(chosen) < n:  # rounding
        chosen.append(rest.pop(rng.randrange(len(rest))))
    picked = set(chosen[:n])
    return [examples[i] for i in sorted(picked)], [e for i, e in enumerate(examples) if i not in picked]


def score(classifier, examples: list[LabelledTicket]) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    evaluation = evaluate_classifier_predictions([e.team.value for e in examples],
                                                 classifier.predict([e.text for e in examples]), DEFAULT_POLICY)
    return evaluation.accuracy, evaluation.macro_f1


def cell(accuracies: list[float], f1s: list[float]) -> str:
    spread = f"±{(max(accuracies) - min(accuracies)) / 2:.3f}" if len(accuracies) > 1 else ""
    return f"{statistics.mean(accuracies):.3f}{spread} / {statistics.mean(f1s):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--operator", type=Path, default=Path("data/operators/kestrel.jsonl"))
    parser.add_argument("--other", type=Path, nargs="*",
                        default=[Path("data/operators/harbour.jsonl"), Path("data/dev/titles.jsonl"),
                                 Path("data/dev/social.jsonl")])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 50, 100, 200, 400])
    parser.add_argument("--weight", type=float, default=5.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    operator = read(args.operator)
    others = {path.stem: read(path) for path in args.other}
    shipped = load_artifact(shipped_artifact())
    print(f"operator: {args.operator} ({len(operator)}); model {shipped.info.name}; weight {args.weight:g}; "
          f"{args.repeats} draws per N; cells: accuracy ±half-range / macro-F1")
    print(f"{'N':>4}  {'held-out, learned':>22}  {'held-out, shipped':>22}"
          + "".join(f"  {name:>22}" for name in others) + "  promoted  memory   learn s")
    for n in args.sizes:
        if n >= len(operator):
            print(f"{n:>4}  (skipped: no operator tickets would be left to hold out)")
            continue
        rows, promoted, strengths, seconds = [], 0, [], []
        for repeat in range(args.repeats if n else 1):
            labelled, held = draw(operator, n, seed=13 + repeat)
            model = shipped
            if n:
                started = time.perf_counter()
                learned = learn(labelled, shipped, DEFAULT_POLICY, weight=args.weight, seed=13 + repeat)
                seconds.append(time.perf_counter() - started)
                strengths.append(learned.meta["cv"].get("memory_strength"))
                if learned.comparison.not_worse:
                    model, promoted = load_artifact(learned.artifact), promoted + 1
            rows.append([*score(model, held), *score(shipped, held),
                         *(x for group in others.values() for x in score(model, group))])
        columns = list(zip(*rows))
        cells = [cell(list(columns[i]), list(columns[i + 1])) for i in range(0, len(columns), 2)]
        extra = (f"  {promoted:>4}/{len(rows)}  {','.join(f'{s:g}' for s in strengths if s is not None):>8}"
                 f"  {statistics.mean(seconds):6.0f}") if n else ""
        print(f"{n:>4}" + "".join(f"  {c:>22}" for c in cells) + extra, flush=True)
    print("(held-out: the operator's file minus the N drawn, so fewer tickets as N grows; 'promoted': draws whose "
          "candidate passed the promotion rule; 'memory': the strength each draw's cross-validation chose)")


if __name__ == "__main__":
    main()
