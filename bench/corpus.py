"""N realistic press releases, varied in length, made from a seed so every run is alike.

Each release uses what real ones do: a standfirst, a dateline, paragraphs with
bold, italic and links, `##`/`###` headings, bullet and numbered lists (some
nested), a block quote, notes to editors (own and standard), house and inline
contacts, an embargo on most, drafts on some, and names outside Latin-1
(Zoë, Siân, Łukasz, Nguyễn). Lengths run from a few paragraphs to several
pages, skewed short as real releases are.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

WORDS = (
    "inspection probation service region staff caseloads public protection risk "
    "assessment planning delivery reviewing practitioners managers partnership police "
    "courts prisons youth justice children families victims safety quality standard "
    "improvement evidence recommendations training workload recruitment retention "
    "supervision interventions accommodation employment education health housing "
    "local authority national policy reform funding capacity backlog"
).split()
NAMES = ("Zoë Adeyemi", "Siân Lloyd", "Łukasz Nowak", "Nguyễn Văn An", "Antonín Dvořák",
         "Martin Jones", "Ceri Morgan", "Aoife Ní Bhriain", "Søren Kierkegaard", "José Núñez")
PLACES = ("London", "Manchester", "Cardiff", "Leeds", "Bristol", "Newcastle", "Birmingham")
LINKS = ("https://www.justiceinspectorates.gov.uk/hmiprobation/",
         "https://www.gov.uk/government/organisations/hm-prison-and-probation-service",
         "https://example.org/report/annex-b")


def sentence(rng: random.Random, words: int | None = None) -> str:
    n = words or rng.randint(9, 26)
    text = " ".join(rng.choice(WORDS) for _ in range(n))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    parts = [sentence(rng) for _ in range(rng.randint(2, 5))]
    roll = rng.random()
    if roll < 0.25:
        parts[0] = f"**{parts[0][:-1]}**."
    elif roll < 0.4:
        parts[-1] = f"*{parts[-1][:-1]}*."
    if rng.random() < 0.2:
        parts.append(f"The full report is on [our website]({rng.choice(LINKS)}).")
    if rng.random() < 0.3:
        parts.append(f'{rng.choice(NAMES)} said: "{sentence(rng)}"')
    return " ".join(parts)


def bullets(rng: random.Random, numbered: bool) -> str:
    lines = []
    for i in range(rng.randint(2, 6)):
        marker = f"{i + 1}." if numbered else "-"
        lines.append(f"{marker} {sentence(rng)}")
        if not numbered and rng.random() < 0.15:
            lines += [f"  - {sentence(rng, 8)}" for _ in range(2)]
    return "\n".join(lines)


def body(rng: random.Random, sections: int) -> str:
    blocks = [paragraph(rng) for _ in range(rng.randint(2, 4))]
    for _ in range(sections):
        blocks.append(f"## {sentence(rng, rng.randint(2, 5))[:-1]}")
        for _ in range(rng.randint(1, 3)):
            roll = rng.random()
            if roll < 0.55:
                blocks.append(paragraph(rng))
            elif roll < 0.8:
                blocks.append(bullets(rng, numbered=rng.random() < 0.35))
            elif roll < 0.9:
                blocks.append(f"### {sentence(rng, 3)[:-1]}\n\n{paragraph(rng)}")
            else:
                blocks.append(f"> {sentence(rng)}")
    return "\n\n".join(blocks)


def indent(text: str) -> str:
    return "\n".join(("  " + line) if line else "" for line in text.split("\n"))


def release(rng: random.Random, index: int) -> tuple[str, str]:
    day = date(2026, 1, 5) + timedelta(days=index % 360)
    sections = min(int(rng.expovariate(1 / 2.2)), 10)  # mostly short, a few long
    lines = [f"headline: {sentence(rng, rng.randint(6, 14))[:-1]}"]
    if rng.random() < 0.6:
        lines.append(f"summary: {sentence(rng)}")
    lines.append(f"date: {day.isoformat()}")
    if rng.random() < 0.7:
        lines.append(f"embargo: {day.isoformat()} 00:01")
    if rng.random() < 0.5:
        lines.append(f"location: {rng.choice(PLACES)}")
    lines.append(f"status: {'draft' if rng.random() < 0.2 else 'final'}")
    lines.append("body: |")
    lines.append(indent(body(rng, sections)))
    notes = [sentence(rng) for _ in range(rng.randint(0, 3))]
    if notes:
        lines.append("notes:")
        lines += [f"  - {note}" for note in notes]
    lines.append(f"standard_notes: [{', '.join(rng.sample(['pdus', 'ratings'], rng.randint(0, 2)))}]")
    lines.append("contacts:")
    lines.append("  - press-office")
    if rng.random() < 0.3:
        name = rng.choice(NAMES)
        lines += [f"  - name: {name}", "    role: Regional press officer",
                  f"    email: {name.split()[0].lower().replace('ë', 'e')}@example.org"]
    slug = "-".join(lines[0].split()[1:4]).lower()
    return f"{day.isoformat()}-{index:04d}-{slug}", "\n".join(lines) + "\n"


def write_corpus(folder: Path, count: int, seed: int = 1) -> list[Path]:
    """Write `count` releases into `folder` (replacing any there); their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        stem, text = release(rng, index)
        path = folder / f"{stem}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
