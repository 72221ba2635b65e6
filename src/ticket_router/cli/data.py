"""`ticket-router import …`, `train` and `evaluate`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ticket_router.bootstrap import build_router, open_configured_store, policy_for
from ticket_router.cli.common import DbOption, ModelOption, PolicyOption, counted, fail, read_input, settings_with, stderr
from ticket_router.domain import Decision, Ticket
from ticket_router.ingest import Rejected, raw_records, read_customers, read_outages, split, to_ticket

import_app = typer.Typer(help="Import customers or outages from CSV.", no_args_is_help=True)


def _import(kind: str, file: str, db: Path | None) -> None:
    reader = read_customers if kind == "customers" else read_outages
    good, bad = split(reader(read_input(file)))
    console = stderr()
    for item in bad:
        console.print(str(item), markup=False)
    store = open_configured_store(settings_with(db))
    try:
        count = store.upsert_customers(good) if kind == "customers" else store.upsert_outages(good)  # type: ignore[arg-type]
    finally:
        store.close()
    console.print(f"imported {counted(count, kind.removesuffix('s'))}" + (f", rejected {len(bad)}" if bad else ""))
    if bad:
        raise typer.Exit(1)


@import_app.command("customers")
def import_customers(file: Annotated[str, typer.Argument(help="CSV: customer_id,name,vip,account_type,plan,region")],
                     db: DbOption = None) -> None:
    """Add or update customers."""
    _import("customers", file, db)


@import_app.command("outages")
def import_outages(
    file: Annotated[str, typer.Argument(help="CSV: outage_id,service,region,severity,started_at,ended_at,description")],
    db: DbOption = None,
) -> None:
    """Add or update outages (an empty ended_at means active)."""
    _import("outages", file, db)


def train(
    corpus: Annotated[Path, typer.Option(help="Folder of labelled *.jsonl files.")] = Path("data/training"),
    calibrate_on: Annotated[list[Path], typer.Option(
        help="Labelled realistic tickets the ensemble's confidence is also fitted on (never trained on).")] = [
        Path("data/dev/titles.jsonl")],
    export_encoder: Annotated[bool, typer.Option(
        "--export-encoder", help="Also re-export the MiniLM encoder to int8 ONNX (needs PyTorch: the train extra).")] = False,
    seed: Annotated[int, typer.Option(help="Random seed; the same corpus and seed give the same models.")] = 13,
) -> None:
    """Rebuild every shipped model from the labelled corpus (tfidf-lr-v2 and minilm-tfidf-v1)."""
    from ticket_router.model.build import build_all
    from ticket_router.model.corpus import CorpusError

    try:
        import sklearn  # noqa: F401 - only training needs it
    except ImportError:
        fail("training needs scikit-learn: pip install 'ticket-router[train]'")
    console = stderr()
    if export_encoder:
        from ticket_router.model.export_encoder import export_encoder as export

        try:
            exported = export()
        except ImportError as error:
            fail(f"exporting the encoder needs PyTorch and onnx (pip install 'ticket-router[train]'): {error}")
        console.print(f"exported the encoder to {exported.onnx}")
    missing = [str(path) for path in calibrate_on if not path.is_file()]
    if missing:
        fail(f"calibration file(s) not found: {', '.join(missing)}")
    try:
        build_all(corpus, calibrate_on, seed=seed, say=lambda line: console.print(line, markup=False))
    except (CorpusError, OSError) as error:
        fail(str(error))


def _labelled(file: str, fmt: str, console: Console, teams: list[str]) -> tuple[list[Ticket], list[str], int]:
    """The valid tickets of FILE with their gold teams (one of the policy's `teams`), and how many records were
    rejected (each reported)."""
    tickets: list[Ticket] = []
    gold: list[str] = []
    rejected = 0
    for item in raw_records(read_input(file), fmt):
        if isinstance(item, Rejected):
            console.print(f"{file}: {item}", markup=False)
            rejected += 1
            continue
        line, raw = item
        team = raw.get("team") if isinstance(raw, dict) else None
        problem = ("no gold `team` field" if team is None
                   else f"unknown gold team {team!r} (expected one of: {', '.join(teams)})" if team not in teams
                   else None)
        parsed = to_ticket(raw, line) if problem is None else Rejected(line, problem)
        if isinstance(parsed, Rejected):
            console.print(f"{file}: {parsed}", markup=False)
            rejected += 1
            continue
        tickets.append(parsed.record)
        gold.append(team)  # type: ignore[arg-type]
    return tickets, gold, rejected


def evaluate(
    files: Annotated[list[str], typer.Argument(help="Tickets with a gold `team` field (.jsonl, .json or .csv); "
                                                    "one or more files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    db: DbOption = None,
    model: ModelOption = None,
    policy_file: PolicyOption = None,
) -> None:
    """Accuracy, macro-F1, per-team precision/recall, confusion matrix and calibration (ECE): one table per FILE,
    and a total over all of them when there are several."""
    from ticket_router.ingest import InputError, detect_format
    from ticket_router.model.metrics import evaluate_predictions

    settings = settings_with(db, model=model, policy=policy_file)
    policy = policy_for(settings)
    labels = [t.value for t in policy.teams]
    try:
        formats = [detect_format(file) for file in files]
    except InputError as error:
        fail(str(error))
    console = stderr()
    labelled = {}
    rejected = 0
    for file, fmt in zip(files, formats):
        tickets, gold, bad = _labelled(file, fmt, console, labels)
        rejected += bad
        if tickets:
            labelled[file] = (tickets, gold)
        else:
            console.print(f"{file}: no valid labelled tickets", markup=False)
    if not labelled:
        fail("no valid labelled tickets to evaluate", code=1)
    store = open_configured_store(settings)
    try:
        router = build_router(settings, store)
        decided = {file: router.route_many(tickets, save=False) for file, (tickets, _) in labelled.items()}
    finally:
        store.close()

    def score(gold: list[str], decisions: list[Decision]):  # type: ignore[no-untyped-def]
        return evaluate_predictions(gold, [d.team.value for d in decisions], [d.confidence for d in decisions],
                                    labels, policy.review_threshold)

    results = {file: score(labelled[file][1], decisions) for file, decisions in decided.items()}
    total = score([g for _, gold in labelled.values() for g in gold], [d for ds in decided.values() for d in ds])
    model = next(iter(decided.values()))[0].model
    if as_json:
        figures = ({**total.model_dump()} if len(files) == 1 else
                   {"files": {file: r.model_dump() for file, r in results.items()}, "total": total.model_dump()})
        print(json.dumps({"model": model.model_dump(), **figures}, indent=2))
    else:
        out = Console()
        name = f"{model.name} v{model.version}"
        for file, result in results.items():
            print_evaluation(out, result, name, title=file if len(files) > 1 else None)
        if len(files) > 1:
            print_evaluation(out, total, name, title=f"total ({counted(len(results), 'file')})")
    if rejected:
        raise typer.Exit(1)


def print_evaluation(console: Console, result, model_name: str, title: str | None = None) -> None:  # type: ignore[no-untyped-def]
    heading = f"[bold]{escape(title)}[/bold]: " if title else ""
    console.print(f"{heading}[bold]{escape(model_name)}[/bold] on {counted(result.count, 'ticket')}")
    console.print(f"accuracy {result.accuracy:.3f}   macro-F1 {result.macro_f1:.3f}   "
                  f"ECE {result.ece:.3f}   review rate {result.review_rate:.1%}"
                  + (f"   accuracy when confident {result.accuracy_when_confident:.3f}"
                     if result.accuracy_when_confident is not None else ""))
    per_team = Table("team", "precision", "recall", "F1", "support", title="Per team", title_justify="left")
    for team, scores in result.per_team.items():
        per_team.add_row(team, f"{scores.precision:.3f}", f"{scores.recall:.3f}", f"{scores.f1:.3f}", str(scores.support))
    console.print(per_team)
    confusion = Table("gold \\ predicted", *[label.split()[0] for label in result.labels],
                      title="Confusion matrix", title_justify="left")
    for label, row in zip(result.labels, result.confusion):
        confusion.add_row(label, *map(str, row))
    console.print(confusion)
