#!/usr/bin/env python3
"""Writes the domain's HUD code lists from the project's HUD reference data (domain/hud/).

    python3 scripts/gen-hud-codes.py          # write the generated Rust files
    python3 scripts/gen-hud-codes.py --check  # exit 1 if a generated file is not up to date

From `code-lists.csv`, one `code_list!` type per HUD list, in `domain/src/codes/lists.rs` and
one file per part of the Data Standards under `domain/src/codes/lists/`.

The output is passed through rustfmt, so it is what `cargo fmt` would leave, and depends on
nothing but the CSV files and this script. Python 3 standard library only.
"""

import csv
import pathlib
import re
import subprocess
import sys
import tempfile
import textwrap

ROOT = pathlib.Path(__file__).resolve().parent.parent
HUD = ROOT / "domain" / "hud"
CODES = ROOT / "domain" / "src" / "codes"
COMMAND = "python3 scripts/gen-hud-codes.py"

# Names of types that other code used before the lists were generated, kept as they were.
# Every other list is named from HUD's name by `type_name`.
TYPE_NAMES = {
    "1.8 NoYesReasonsForMissingData": "NoYesMissing",
    "DataQuality (3.01.5 name / 3.02.2 SSN / 3.03.2 DOB)": "DataQuality",
    "1.4 RecordType (Services)": "ServiceRecordType",
    "P1.2 PATHServices": "PathService",
    "R14.2 RHYServices": "RhyService",
    "W1.2 HOPWAServices": "HopwaService",
    "V2.2 SSVFServices": "SsvfService",
    # HUD's own name, NoYesMissing, is the 1.8 list's type (above): named for its codes.
    "1.7 NoYesMissing": "NoYesNotCollected",
}

# What a reader of a list's type needs to know that its codes do not say: why it is not named
# after HUD's list, and what the HMIS README and Data Standards say of its codes.
NOTES = {
    "1.4 RecordType (Services)": "The RecordType of a Services.csv row: it picks TypeProvided's list.",
    "1.7 NoYesMissing": (
        "Named for its codes (No, Yes, Data not collected): HUD's name, NoYesMissing, is the "
        "project's name for list 1.8."
    ),
    "1.8 NoYesReasonsForMissingData": (
        "Not HUD's name: the project's name for list 1.8, which the rules and the API use "
        "(HUD's 1.7 NoYesMissing is NoYesNotCollected)."
    ),
    "5.03.1 DataCollectionStage": "HUD does not use 6 (post-exit) in CSV exports.",
    "2.06.1 FundingSource": (
        "FY2026: 47 (ESG-CV) and 48 (HOPWA-CV), valid in FY2024, are retired, and 56 (CoC "
        "Builds) is new; 12 and 49 are in neither."
    ),
    "3.12 Destination": (
        "A subset of HUD's living situation list 3.12.1: all of it but 37, 335 and 336."
    ),
    "3.917 PriorLivingSituation": (
        "A subset of HUD's living situation list 3.12.1: not 17, 24, 30, 37, 312, 313, 327, "
        "422, 423, 426."
    ),
    "4.12 CurrentLivingSituation": (
        "A subset of HUD's living situation list 3.12.1: not 24, 30, 312, 313, 327, 422, 423, "
        "426."
    ),
    "V2.2 SSVFServices": "FY2026 adds 10 (Healthcare Navigation).",
    "W2.2 HOPWAFinancialAssistance": "W2.2 (some list extracts call it V2.3).",
    "V8.2 VoucherTracking": "V8.2 (some list extracts call it V8.1).",
}


# The parts of the Data Standards, by the first characters of a list's number: the file each
# part's lists go in and what the file says of them.
SECTIONS = [
    (
        "general",
        ("1.", "5."),
        "HUD lists 1.1-1.10 and 5.03.1: export metadata, record and disability types, and the\n"
        "//! answers many elements share (No/Yes, reasons for missing data).",
    ),
    (
        "project",
        ("2.",),
        "HUD lists 2.x: project descriptor elements (2.02 project, 2.03 CoC, 2.06 funding,\n"
        "//! 2.07 inventory, 2.08 HMIS participation).",
    ),
    (
        "universal",
        ("3.", "DataQuality"),
        "HUD lists 3.x: universal data elements (data quality of name, SSN and date of birth,\n"
        "//! living situation, destination, relationship to head of household).",
    ),
    (
        "program",
        ("4.",),
        "HUD lists 4.x: program-specific elements shared by federal partners (health insurance,\n"
        "//! disabilities, domestic violence, current living situation, bed nights, coordinated\n"
        "//! entry, sex).",
    ),
    (
        "coc",
        ("C",),
        "HUD lists C: HUD CoC program elements (C2 Moving On assistance, C3 youth education\n"
        "//! status).",
    ),
    ("path", ("P",), "HUD lists P: HHS PATH program elements."),
    ("rhy", ("R",), "HUD lists R: HHS Runaway and Homeless Youth program elements."),
    ("va", ("V",), "HUD lists V: VA program elements (SSVF, GPD, HUD-VASH)."),
    ("hopwa", ("W",), "HUD lists W: HOPWA program elements."),
]


def generated_note(source):
    return f"//! Generated from `{source}` by `{COMMAND}`:\n//! change those, not this file."


def words(name):
    """The words of a HUD name: a run of capitals is one word (`SSIAmount`: SSI, Amount),
    digits stay with the word before them (`HH5Plus`: HH5, Plus), and `CoC` and `HoH` are one
    word each. The same rule as `field_name` in domain/src/hmis_csv/naming.rs."""
    name = name.replace("CoC", "Coc").replace("HoH", "Hoh")
    found = []
    for index, char in enumerate(name):
        previous = name[index - 1] if index else ""
        following = name[index + 1] if index + 1 < len(name) else ""
        starts = char.isupper() and (
            previous.islower()
            or previous.isdigit()
            or (previous.isupper() and following.islower())
        )
        if not found or starts:
            found.append("")
        found[-1] += char
    return found


def field_name(column):
    """The snake_case name of a HUD column (`TotalMonthlyIncome` -> total_monthly_income)."""
    return "_".join(word.lower() for word in words(column))


def type_name(list_name):
    """The Rust type of a HUD list: its name after the number, each word capitalized
    (`2.02.A RRHSubType` -> RrhSubType), unless TYPE_NAMES names it."""
    if list_name in TYPE_NAMES:
        return TYPE_NAMES[list_name]
    hud_name = list_name.split(" ", 1)[1]
    if not re.fullmatch(r"[A-Za-z0-9]+", hud_name):
        sys.exit(f"list {list_name!r}: name it in TYPE_NAMES")
    return "".join(word[0].upper() + word[1:].lower() for word in words(hud_name))


def natural_key(list_name):
    """Orders list numbers as the Data Standards do: 1.9 before 1.10, V2.A before V10."""
    number = list_name.split(" ", 1)[0]
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", number)]


def rust_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def long_string(text, indent):
    """A Rust string literal at `indent` spaces, continued on further lines (`\\` at the end
    of a line, which drops the next line's leading spaces) where one line would pass 100
    characters."""
    pieces = textwrap.wrap(
        text.replace("\\", "\\\\").replace('"', '\\"'),
        width=100 - indent - 3,
        break_long_words=False,
        break_on_hyphens=False,
        drop_whitespace=False,
    )
    if len(pieces) == 1:
        return rust_string(text)
    # textwrap keeps each break's space at the start of the next piece: move it to the end of
    # the line before, where the continuation keeps it.
    lines = [pieces[0]]
    for piece in pieces[1:]:
        if piece.startswith(" "):
            lines[-1] += " "
            piece = piece[1:]
        lines.append(piece)
    joiner = "\\\n" + " " * (indent + 1)
    return '"' + joiner.join(lines) + '"'


def read_csv(name):
    with open(HUD / name, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def read_lists():
    """{HUD list name: [(code, label), ...]} in the CSV's order."""
    lists = {}
    for row in read_csv("code-lists.csv"):
        lists.setdefault(row["list"], []).append((int(row["code"]), row["label"]))
    names = [type_name(name) for name in lists]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        sys.exit(f"two lists would be named {duplicates}: name them in TYPE_NAMES")
    return lists


def section_of(list_name):
    for file_name, prefixes, _ in SECTIONS:
        if list_name.startswith(prefixes):
            return file_name
    sys.exit(f"list {list_name!r} belongs to no section of SECTIONS")


def code_list(list_name, codes):
    lines = []
    if list_name in NOTES:
        lines.extend(textwrap.wrap(NOTES[list_name], 97, initial_indent="// ", subsequent_indent="// "))
    # Laid out as rustfmt lays out a long list, since rustfmt leaves a macro call whose
    # lines it cannot fit in 100 characters as it finds it.
    entries = []
    for code, label in codes:
        entry = f"        ({code}, {rust_string(label)}),"
        if len(entry) > 100:
            entry = f"        (\n            {code},\n            {long_string(label, 12)}\n        ),"
        entries.append(entry)
    entries[-1] = entries[-1][:-1]
    lines.append(f"code_list!(\n    {type_name(list_name)},\n    {rust_string(list_name)},")
    lines.append("    [\n" + "\n".join(entries) + "\n    ]\n);")
    return "\n".join(lines)


def list_files(lists):
    """{path: Rust source} of the code lists."""
    files = {}
    ordered = sorted(lists, key=natural_key)
    for file_name, _, about in SECTIONS:
        in_section = [name for name in ordered if section_of(name) == file_name]
        body = "\n\n".join(code_list(name, lists[name]) for name in in_section)
        files[CODES / "lists" / f"{file_name}.rs"] = (
            f"//! {about}\n//!\n{generated_note('domain/hud/code-lists.csv')}\n\n"
            f"use crate::codes::code_list;\n\n{body}\n"
        )
    modules = "\n".join(f"mod {file_name};" for file_name, _, _ in SECTIONS)
    uses = "\n".join(f"pub use {file_name}::*;" for file_name, _, _ in SECTIONS)
    files[CODES / "lists.rs"] = (
        "//! HUD HMIS code lists (FY2026 Data Standards): one type per list, which holds only\n"
        "//! the list's codes, grouped by the part of the Data Standards that defines the list.\n"
        f"//!\n{generated_note('domain/hud/code-lists.csv')}\n\n{modules}\n\n{uses}\n"
    )
    return files


def edition():
    manifest = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    found = re.search(r'^edition\s*=\s*"(\d+)"', manifest, re.MULTILINE)
    if not found:
        sys.exit("no edition in the workspace's Cargo.toml")
    return found.group(1)


def formatted(files):
    """The files as rustfmt leaves them: formatted in a scratch copy of their folders, where
    the modules they declare are found."""
    with tempfile.TemporaryDirectory() as scratch:
        copies = {}
        for path, source in files.items():
            copy = pathlib.Path(scratch) / path.relative_to(ROOT)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(source, encoding="utf-8")
            copies[path] = copy
        command = ["rustfmt", "--edition", edition(), *(str(copy) for copy in copies.values())]
        try:
            subprocess.run(command, check=True)
        except (OSError, subprocess.CalledProcessError) as error:
            sys.exit(f"rustfmt failed: {error}")
        return {path: copy.read_text(encoding="utf-8") for path, copy in copies.items()}


def main():
    check = sys.argv[1:] == ["--check"]
    if sys.argv[1:] and not check:
        sys.exit(__doc__)
    files = formatted(list_files(read_lists()))
    stale = []
    for path, source in sorted(files.items()):
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == source:
            continue
        stale.append(path.relative_to(ROOT))
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(source, encoding="utf-8")
    if check and stale:
        names = ", ".join(str(path) for path in stale)
        sys.exit(f"not up to date with domain/hud (run {COMMAND}): {names}")
    for path in stale:
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
