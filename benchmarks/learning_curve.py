"""The learning curve of `ticket-router learn`: how routing an operator's tickets improves with N of their labels.

    python benchmarks/learning_curve.py [--labelled data/dev/titles.jsonl] [--sizes 0 50 100 200 400]
        [--other data/dev/social.jsonl data/eval/complaints.jsonl] [--weight 5] [--repeats 3]

For each N, N labelled tickets are drawn (stratified by team, seeded) from the operator's file, the rest are held
out. The candidate is what `learn` stores and `--promote` activates: `train_candidate` on the corpus plus the N
tickets (weighted), read with `learn`'s own label reader. It is scored on the held-out operator tickets and on the
other sets (other operators' tickets: the check that learning one operator does not cost the others more than a
point). N = 0 is the baseline: the same training with no operator tickets. With --repeats, every N > 0 is drawn that many times (seeds 13, 14, …)
and the mean and range are printed. Nothing trained here is kept.

Time `learn` itself (cross-validation included) through the CLI, e.g. on 1,000 labelled tickets:

    cat data/dev/titles.jsonl data/dev/social.jsonl data/eval/complaints.jsonl | head -1000 > /tmp/l1000.jsonl
    time ticket-router learn /tmp/l1000.jsonl --db /tmp/learn-bench.db
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from ticket_router.model.candidate import load_artifact, shipped_artifact, train_candidate
from ticket_router.model.corpus import LabelledTicket
from ticket_router.model.learn import evaluate_classifier_predictions, read_labelled
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labelled", type=Path, default=Path("data/dev/titles.jsonl"))
    parser.add_argument("--other", type=Path, nargs="*",
                        default=[Path("data/dev/social.jsonl"), Path("data/eval/complaints.jsonl")])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 50, 100, 200, 400])
    parser.add_argument("--weight", type=float, default=5.0)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--shipped-baseline", action="store_true", help="N = 0 is the shipped model file")
    args = parser.parse_args()

    operator = read(args.labelled)
    others = {path.stem: read(path) for path in args.other}
    shipped = load_artifact(shipped_artifact())
    # The baseline is the candidate with no operator tickets: the same training, so the difference is the labels'
    # (the shipped file may predate corpus changes). --shipped-baseline compares with the shipped file instead.
    baseline = shipped if args.shipped_baseline else load_artifact(train_candidate([], args.weight))
    print(f"operator: {args.labelled} ({len(operator)}); model {shipped.info.name}; weight {args.weight:g}; "
          f"baseline: {'the shipped file' if args.shipped_baseline else 'retrained on the corpus alone'}")
    header = (f"{'N':>4}  {'held-out operator acc / F1':>28}  {'baseline, same tickets':>28}"
              + "".join(f"  {name + ' acc / F1':>26}" for name in others))
    print(header + "  train s")
    for n in args.sizes:
        if n >= len(operator):
            print(f"{n:>4}  (skipped: no operator tickets would be left to hold out)")
            continue
        runs = []
        for repeat in range(args.repeats if n else 1):
            train, held = draw(operator, n, seed=13 + repeat)
            started = time.perf_counter()
            model = load_artifact(train_candidate(train, args.weight)) if n else baseline
            seconds = time.perf_counter() - started
            runs.append([*score(model, held), *score(baseline, held),
                         *(x for s in others.values() for x in score(model, s)), seconds])
        columns = list(zip(*runs))
        cells = []
        for index in range(0, len(columns) - 1, 2):
            acc, f1 = columns[index], columns[index + 1]
            spread = f" ±{(max(acc) - min(acc)) / 2:.3f}" if len(acc) > 1 else ""
            cells.append(f"{statistics.mean(acc):.3f}{spread} / {statistics.mean(f1):.3f}")
        print(f"{n:>4}  {cells[0]:>28}  {cells[1]:>28}" + "".join(f"  {c:>26}" for c in cells[2:])
              + f"  {statistics.mean(columns[-1]):7.1f}", flush=True)
    print("(held-out operator tickets: the labelled file minus the N drawn, so fewer as N grows; "
          "± is half the range over repeats)")


if __name__ == "__main__":
    main()
