"""`ticket-router learn` and `ticket-router models …`: teach the model an operator's routing, and manage the
versions kept in the store (list, show, promote, rollback, export, import, shadow, compare)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ticket_router.bootstrap import build_router, open_configured_store, policy_for
from ticket_router.cli.common import DbOption, PolicyOption, fail, read_input, settings_with, stderr
from ticket_router.domain import utcnow
from ticket_router.settings import Settings
from ticket_router.store.versions import ACTIVE, SHADOW, ModelVersionStore, UnknownVersion, VersionExists

models_app = typer.Typer(help="Model versions kept in the store: list, promote, roll back, shadow, compare.",
                         no_args_is_help=True)


@contextmanager
def _versions(settings: Settings) -> Iterator[Any]:
    store = open_configured_store(settings)
    try:
        if not isinstance(store, ModelVersionStore):
            fail("this database does not keep model versions")
        yield store
    finally:
        store.close()


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    from ticket_router.domain import as_utc

    try:
        return as_utc(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
    except ValueError:
        fail(f"--since: not an ISO 8601 date: {value!r}")


def learn(
    file: Annotated[str | None, typer.Argument(
        help="Labelled tickets (.jsonl, .json, .csv; any `route` format) with a gold `team` (optional `category`).")
    ] = None,
    from_feedback: Annotated[bool, typer.Option("--from-feedback",
                                                help="Use agents' confirmations and corrections as the labels.")] = False,
    since: Annotated[str | None, typer.Option(help="With --from-feedback: feedback from this date (ISO 8601).")] = None,
    weight: Annotated[float, typer.Option(help="Weight of each of your tickets against a corpus example.",
                                          min=0.1, max=100.0)] = 5.0,
    promote: Annotated[bool, typer.Option("--promote", help="Make the candidate active if it is not worse.")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --promote: promote even if it is worse.")] = False,
    db: DbOption = None,
    policy_file: PolicyOption = None,
) -> None:
    """Train a candidate on the corpus plus your labelled tickets, cross-validate it against the active model on
    your tickets, store it as a new model version, and (with --promote) make it active."""
    from ticket_router.ingest import InputError, detect_format
    from ticket_router.model.learn import LearnRefused, check_examples, labelled_from_feedback, learn, read_labelled
    from ticket_router.model.versions import store_candidate

    if (file is None) == (not from_feedback):
        fail("give either FILE or --from-feedback")
    if since is not None and not from_feedback:
        fail("--since goes with --from-feedback")
    try:
        import sklearn  # noqa: F401 - only training needs it
    except ImportError:
        fail("learning needs scikit-learn (a default dependency): pip install scikit-learn")
    settings = settings_with(db, policy=policy_file)
    policy = policy_for(settings)
    console = stderr()
    rejected = 0
    with _versions(settings) as store:
        if file is not None:
            try:
                fmt = detect_format(file)
            except InputError as error:
                fail(str(error))
            examples, bad = read_labelled(read_input(file), fmt, policy)
            for item in bad:
                console.print(str(item), markup=False, highlight=False)
            rejected, source = len(bad), Path(file).name
        else:
            examples = labelled_from_feedback(store.list_feedback(since=_since(since)), store.get_ticket, policy)
            source = "feedback" + (f" since {since}" if since else "")
        try:
            warnings = check_examples(examples)
        except LearnRefused as error:
            fail(f"refused: {error}" + (f" ({rejected} records rejected)" if rejected else ""), code=1)
        for warning in warnings:
            console.print(f"warning: {warning}", markup=False, highlight=False)
        active = build_router(settings, store).classifier
        console.print(f"learning from {len(examples)} labelled tickets ({source}), weight {weight:g}; "
                      f"comparing with the active model {active.info.name} v{active.info.version}", markup=False)
        started = time.perf_counter()
        result = learn(examples, active, policy, weight=weight, source=source,
                       progress=lambda step: console.print(f"  training: {step}", markup=False))
        categories = result.artifact.meta.get("categories")  # what the candidate predicts (model/train.py)
        stored = store_candidate(store, result.artifact, active.info,
                                 {**result.meta, "learn_seconds": round(time.perf_counter() - started, 1),
                                  "policy_version": policy.version, "categories": categories})
        print_comparison(Console(), result.comparison, f"{stored.name} v{stored.version}")
        cv = result.meta["cv"]
        if "memory_strength" in cv:
            tried = ", ".join(f"{accuracy:.3f} at {strength}"
                              for strength, accuracy in cv["accuracy_by_memory_strength"].items())
            console.print(f"memory of your tickets: strength {cv['memory_strength']:g}, chosen out of fold "
                          f"(accuracy {tried})", markup=False, highlight=False)
        console.print(f"stored candidate {stored.version} in {time.perf_counter() - started:.0f} s", markup=False)
        if promote:
            if result.comparison.not_worse or force:
                store.promote_model(stored.version, utcnow())
                note = "" if result.comparison.not_worse else " (forced: " + "; ".join(result.comparison.reasons) + ")"
                console.print(f"promoted {stored.version}: it is the active model now{note}", markup=False)
            else:
                console.print(f"not promoted: {'; '.join(result.comparison.reasons)}; the active model stays "
                              f"{active.info.name} v{active.info.version} (--force overrides)", markup=False)
                raise typer.Exit(1)
    if rejected:
        raise typer.Exit(1)


def print_comparison(console: Console, comparison: Any, candidate_name: str) -> None:
    active_name = f"{comparison.active.name} v{comparison.active.version}"
    cand, act = comparison.candidate_eval, comparison.active_eval
    table = Table("on your tickets", f"candidate {candidate_name} ({comparison.folds}-fold, out of fold)",
                  f"active {active_name}", title=f"{cand.count} labelled tickets", title_justify="left")
    table.add_row("accuracy", f"{cand.accuracy:.3f}", f"{act.accuracy:.3f}")
    table.add_row("macro-F1", f"{cand.macro_f1:.3f}", f"{act.macro_f1:.3f}")
    table.add_row("review share", f"{cand.review_rate:.1%}", f"{act.review_rate:.1%}")
    for team, scores in cand.per_team.items():
        if scores.support:
            table.add_row(f"F1 {team} ({scores.support})", f"{scores.f1:.3f}", f"{act.per_team[team].f1:.3f}")
    console.print(table)
    verdict = "not worse than the active model" if comparison.not_worse else "worse: " + "; ".join(comparison.reasons)
    console.print(f"candidate: {verdict}", markup=False, highlight=False)


# models ------------------------------------------------------------------------------------------------------
@models_app.command("list")
def models_list(db: DbOption = None) -> None:
    """Every stored version with its figures; the active and shadow ones marked."""
    settings = settings_with(db)
    with _versions(settings) as store:
        versions = store.list_model_versions()
        active, shadow = store.model_pointer(ACTIVE), store.model_pointer(SHADOW)
    table = Table("version", "name", "created", "base", "status", "trained on", "CV accuracy", "CV macro-F1")
    table.add_row("(shipped)", settings.model, "", "", "active" if active is None else "", "corpus", "", "")
    for item in versions:
        training, cv = item.meta.get("training", {}), item.meta.get("cv", {}).get("candidate", {})
        role = "active" if item.version == active else ("shadow" if item.version == shadow else item.status)
        table.add_row(item.version, item.name, f"{item.created_at:%Y-%m-%d %H:%M}", item.base, role,
                      f"{training.get('count', '?')} ({training.get('source', '?')})" if training else "",
                      f"{cv['accuracy']:.3f}" if "accuracy" in cv else "", f"{cv['macro_f1']:.3f}" if cv else "")
    Console().print(table)


@models_app.command("show")
def models_show(version: Annotated[str, typer.Argument(help="A version shown by `models list`.")],
                db: DbOption = None) -> None:
    """One version's metadata as JSON (training data sha256 and counts, cross-validated figures)."""
    with _versions(settings_with(db)) as store:
        found = store.get_model_version(version)
    if found is None:
        fail(f"no model version {version!r}", code=1)
    sys.stdout.write(json.dumps(found.model_dump(mode="json", exclude={"payload"}) | {"bytes": len(found.payload)},
                                indent=2) + "\n")


@models_app.command("promote")
def models_promote(version: Annotated[str, typer.Argument(help="The version to make active.")],
                   db: DbOption = None, policy_file: PolicyOption = None) -> None:
    """Make a stored version the active model (a running service picks it up within a minute). Refused when the
    version predicts categories the policy (--policy, $TICKET_ROUTER_POLICY) lacks."""
    from ticket_router.model.versions import check_version
    from ticket_router.policy import PolicyMismatch

    settings = settings_with(db, policy=policy_file)
    with _versions(settings) as store:
        found = store.get_model_version(version)
        try:
            if found is not None:
                check_version(found, policy_for(settings))
            store.promote_model(version, utcnow())
        except (UnknownVersion, PolicyMismatch) as error:
            fail(str(error), code=1)
    stderr().print(f"promoted {version}", markup=False)


@models_app.command("rollback")
def models_rollback(db: DbOption = None) -> None:
    """Make the version that was active before the current one active again."""
    with _versions(settings_with(db)) as store:
        try:
            now_active = store.rollback_model(utcnow())
        except LookupError as error:
            fail(str(error), code=1)
    stderr().print(f"rolled back; active: {now_active or 'the shipped model'}", markup=False)


@models_app.command("export")
def models_export(version: Annotated[str, typer.Argument()], file: Annotated[Path, typer.Argument()],
                  db: DbOption = None) -> None:
    """Write a version (artefact and metadata) to a JSON file, for another database."""
    from ticket_router.model.versions import export_version

    with _versions(settings_with(db)) as store:
        found = store.get_model_version(version)
    if found is None:
        fail(f"no model version {version!r}", code=1)
    try:
        export_version(found, file)
    except OSError as error:
        fail(f"cannot write {file}: {error.strerror or error}")
    stderr().print(f"exported {version} to {file}", markup=False)


@models_app.command("import")
def models_import(file: Annotated[str, typer.Argument(help="A file written by `models export`.")],
                  db: DbOption = None) -> None:
    """Store a version from an exported file (checked: format, sha256, the artefact loads)."""
    from ticket_router.model.versions import ModelFileError, import_version

    data = read_input(file)
    with _versions(settings_with(db)) as store:
        try:
            version = import_version(store, data)
        except (ModelFileError, VersionExists) as error:
            fail(f"{file}: {error}", code=1)
    stderr().print(f"imported {version.name} v{version.version}", markup=False)


@models_app.command("shadow")
def models_shadow(version: Annotated[str | None, typer.Argument(help="The version to shadow; omit with --off.")] = None,
                  off: Annotated[bool, typer.Option("--off", help="Stop shadowing.")] = False,
                  db: DbOption = None) -> None:
    """Let a version score live traffic silently beside the active model."""
    if (version is None) != off:
        fail("give VERSION, or --off")
    with _versions(settings_with(db)) as store:
        try:
            store.set_shadow_model(version, utcnow())
        except UnknownVersion as error:
            fail(str(error), code=1)
    stderr().print(f"shadow: {version}" if version else "shadow: off", markup=False)


@models_app.command("compare")
def models_compare(version: Annotated[str, typer.Argument(help="A version that has run in shadow.")],
                   as_json: Annotated[bool, typer.Option("--json")] = False, db: DbOption = None) -> None:
    """Agreement of a shadow version with the live decisions, and accuracy of each against feedback."""
    from ticket_router.model.compare import compare_shadow

    with _versions(settings_with(db)) as store:
        if store.get_model_version(version) is None:
            fail(f"no model version {version!r}", code=1)
        report = compare_shadow(version, store.list_shadow_predictions(version), store.list_feedback())
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
        return
    out = Console()
    if not report.tickets:
        out.print(f"{version} has scored no live tickets yet (`models shadow {version}`, then route some)")
        return
    out.print(f"{version} scored {report.tickets} live tickets beside {', '.join(report.active_models)}; "
              f"it agreed on {report.agreement:.1%}", markup=False, highlight=False)
    if report.judged:
        out.print(f"on the {report.judged} an agent judged: {version} {report.shadow_accuracy:.3f}, "
                  f"live decisions {report.active_accuracy:.3f}", markup=False, highlight=False)
    else:
        out.print("no agent feedback on those tickets yet", markup=False)
