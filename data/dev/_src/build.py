"""Build data/dev/{titles,social}.jsonl from the hand-written lines in this folder.

Every line of a `<style>_<team>.txt` (or `_keep.txt`) file is one record written by hand; the file name gives its team.
A literal "\\n" inside a social line stands for a line break in the post. This script only trims each
team to its target count, shuffles with a fixed seed, numbers the records and checks them.
"""
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent
SEED = 20261205

CATEGORY = {
    "Network Operations": "Network Outage",
    "Billing Support": "Billing Dispute",
    "Technical Support": "Technical Problem",
    "Account Management": "Account Access",
}
FILES = {"network": "Network Operations", "billing": "Billing Support",
         "tech": "Technical Support", "account": "Account Management"}
# Target counts per team for each file (titles 520, social 400).
TARGETS = {
    "titles": {"billing": 198, "network": 156, "tech": 94, "account": 72},
    "social": {"network": 152, "billing": 96, "tech": 96, "account": 56},
}
PREFIX = {"titles": "DEVT", "social": "DEVS"}


def read_lines(style: str, key: str, suffix: str = "") -> list[str]:
    path = HERE / f"{style}_{key}{suffix}.txt"
    if not path.exists():
        return []
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    return [ln.replace("\\n", "\n") for ln in lines if ln]


def build(style: str) -> list[dict]:
    rng = random.Random(SEED)
    items = []
    for key, target in TARGETS[style].items():
        # `_keep` files (the content-poor posts) are always included in full.
        kept = read_lines(style, key, "_keep")
        lines = read_lines(style, key)
        need = target - len(kept)
        if len(lines) < need:
            raise SystemExit(f"{style}_{key}.txt has {len(lines)} lines, needs {need}")
        chosen = sorted(rng.sample(range(len(lines)), need))
        items += [(text, FILES[key]) for text in kept + [lines[i] for i in chosen]]
    rng.shuffle(items)
    records = []
    for n, (text, team) in enumerate(items, 1):
        subject, description = (text, "") if style == "titles" else ("", text)
        records.append({"ticket_id": f"{PREFIX[style]}-{n:04d}", "subject": subject,
                        "description": description, "team": team, "category": CATEGORY[team],
                        "style": "title" if style == "titles" else "social"})
    return records


def check(records: list[dict]) -> None:
    ids = [r["ticket_id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate ids"
    texts = [(r["subject"] + r["description"]).strip().lower() for r in records]
    dups = {t for t in texts if texts.count(t) > 1}
    assert not dups, f"duplicate texts: {sorted(dups)[:5]}"
    for r in records:
        assert CATEGORY[r["team"]] == r["category"], r


def main() -> None:
    all_texts: set[str] = set()
    for style in ("titles", "social"):
        records = build(style)
        check(records)
        texts = {(r["subject"] + r["description"]).strip().lower() for r in records}
        assert not texts & all_texts, "text shared between files"
        all_texts |= texts
        with open(OUT / f"{style}.jsonl", "w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(style, len(records))


if __name__ == "__main__":
    main()
