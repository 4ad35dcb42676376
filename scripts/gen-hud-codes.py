#!/usr/bin/env python3
"""Writes the domain's HUD code lists from the project's HUD reference data (domain/hud/).

    python3 scripts/gen-hud-codes.py          # write the generated Rust files
    python3 scripts/gen-hud-codes.py --check  # exit 1 if a generated file is not up to date

- From `code-lists.csv`: one `code_list!` type per HUD list, in one file per part of the
  Data Standards under `domain/src/codes/lists/`, and `HudList` (one variant per list) in
  `domain/src/codes/lists.rs`.
- From `csv-columns-fy2026.csv`, `csv-columns-fy2024.csv` and `column-lists.csv`: the HMIS
  CSV column catalog, `domain/src/hmis_csv/fy2026.rs` (with a file per group of HUD files
  under `fy2026/`) and `domain/src/hmis_csv/fy2024.rs` (the files FY2024 spells differently;
  the others are FY2026's).

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
CATALOG = ROOT / "domain" / "src" / "hmis_csv"
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
    sentence = f"Generated from `{source}` by `{COMMAND}`: change those, not this file."
    # Spaces inside `code` are not places to break the line.
    parts = sentence.split("`")
    sentence = "`".join(part.replace(" ", "\0") if odd % 2 else part for odd, part in enumerate(parts))
    lines = textwrap.wrap(sentence, 96, break_on_hyphens=False)
    return "\n".join(f"//! {line}".replace("\0", " ") for line in lines)


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
    index = ",\n".join(
        f"    {type_name(name)}"
        for file_name, _, _ in SECTIONS
        for name in ordered
        if section_of(name) == file_name
    )
    files[CODES / "lists.rs"] = (
        "//! HUD HMIS code lists (FY2026 Data Standards): one type per list, which holds only\n"
        "//! the list's codes, grouped by the part of the Data Standards that defines the list,\n"
        "//! and `HudList`, which names any of them.\n"
        f"//!\n{generated_note('domain/hud/code-lists.csv')}\n\n{modules}\n\n{uses}\n\n"
        f"super::hud_list::list_index!(\n{index},\n);\n"
    )
    return files


# What each HUD file of an export holds (domain/hud/README.md), and the module of a version's
# folder its constant is written in, with what the module says of its files.
FILE_ABOUT = {
    "Export": "export metadata (source, period, software, CSVVersion, directive, hash status); exactly one row.",
    "Organization": "2.01 organization, VictimServiceProvider.",
    "User": "the users named in UserID columns.",
    "Project": "2.02 project information (type, RRH subtype, housing type, target population, PITCount).",
    "Funder": "2.06 funding source, grant, dates.",
    "ProjectCoC": "2.03 CoC code, geocode, address, geography type.",
    "Inventory": "2.07 beds and units by household type.",
    "Affiliation": "2.02.C residential projects a services-only project serves.",
    "HMISParticipation": "2.08 HMIS participation periods.",
    "CEParticipation": "2.09 coordinated-entry participation periods.",
    "Client": "3.01-3.04, 3.07, 4.21 Sex, V1 veteran details.",
    "Enrollment": "3.10 start, 3.15, 3.16 EnrollmentCoC, 3.917, 3.08, 3.20, 4.13, P3, R1, R2, R11-R13, V4, V6, V7, V10.",
    "Exit": "3.11, 3.12 destination, W5, R15-R20, V9.",
    "IncomeBenefits": "4.02 income, 4.03 benefits, 4.04 insurance, W3, P4 SOAR.",
    "HealthAndDV": "4.11 domestic violence, R7-R10 health and pregnancy.",
    "EmploymentEducation": "R4 grade, R5 school status, R6 employment.",
    "Disabilities": "4.05-4.10, one row per DisabilityType and stage, W4 T-cell and viral load, W6.",
    "Services": "4.14 bed nights, P1, P2, R14, W1, W2, V2, V3, V8, C2, by RecordType.",
    "CurrentLivingSituation": "4.12 current living situation.",
    "Assessment": "4.19 coordinated entry assessment.",
    "AssessmentQuestions": "4.19.5 question, 4.19.A answer.",
    "AssessmentResults": "4.19.6 result type, 4.19.B result.",
    "Event": "4.20 coordinated entry event and referral result.",
    "YouthEducationStatus": "C3 school attendance and education status.",
}
FILE_GROUPS = [
    (
        "project",
        "the export's own file and the project descriptor files (2.01-2.09)",
        ("Export", "Organization", "User", "Project", "Funder", "ProjectCoC", "Inventory",
         "Affiliation", "HMISParticipation", "CEParticipation"),
    ),
    ("client", "the client, the enrollment and the exit", ("Client", "Enrollment", "Exit")),
    (
        "stage_records",
        "the records collected at a data collection stage (5.03) of an enrollment",
        ("IncomeBenefits", "HealthAndDV", "EmploymentEducation", "Disabilities",
         "YouthEducationStatus"),
    ),
    (
        "dated_records",
        "the records of a day of an enrollment: services, contacts and coordinated entry",
        ("Services", "CurrentLivingSituation", "Assessment", "AssessmentQuestions",
         "AssessmentResults", "Event"),
    ),
]

# What an FY2024 file that FY2026 changed holds (HMIS CSV FY2026 change summary).
FY2024_ABOUT = {
    "Export": "export metadata; SourceID of at most 32 characters, CSVVersion may be empty.",
    "Client": (
        "3.01-3.04 (HispanicLatinaeo), 3.06 gender (Woman ... GenderNone, "
        "DifferentIdentityText), 3.07, V1 veteran details; no 4.21 Sex."
    ),
    "Enrollment": "FY2026's columns but V10, with R3 sexual orientation and C4 translation assistance.",
    "CurrentLivingSituation": "4.12 current living situation; VerifiedBy of at most 100 characters.",
    "AssessmentQuestions": "4.19.5 question, 4.19.A answer of at most 500 characters.",
}

R13 = ("UnemploymentFam", "MentalHealthDisorderFam", "PhysicalDisabilityFam",
       "AlcoholDrugUseDisorderFam", "InsufficientIncome", "IncarceratedParent")
COUNSELING_AND_R20A = ("CounselingReceived", "IndividualCounseling", "FamilyCounseling",
                       "GroupCounseling", "PostExitCounselingPlan", "EmailSocialMedia",
                       "Telephone", "InPersonIndividual", "InPersonGroup")
GENDER = ("Woman", "Man", "NonBinary", "CulturallySpecific", "Transgender", "Questioning",
          "DifferentIdentity")

# FY2024 integer columns whose list is not the FY2026 list of the same column
# (column-lists.csv is FY2026's), with why, from HUD's FY2026 change summary
# (domain/hud/README.md); every other FY2024 integer column takes FY2026's list.
FY2024_LISTS = {
    **{("Enrollment", column): ("1.7 NoYesMissing", "R13: 1.7 in FY2024, 1.8 in FY2026.") for column in R13},
    **{("Exit", column): ("1.7 NoYesMissing", "1.7 in FY2024, 1.10 in FY2026.") for column in COUNSELING_AND_R20A},
    ("Client", "HispanicLatinaeo"): ("1.10 NoYes", "3.04: FY2026 spells it HispanicLatinao."),
    **{("Client", column): ("1.10 NoYes", "3.06 gender, dropped in FY2026.") for column in GENDER},
    ("Client", "GenderNone"): ("1.6 RaceNone", "3.06 gender, dropped in FY2026 (1.6 was RaceGenderNone)."),
    ("Enrollment", "TranslationNeeded"): ("1.8 NoYesReasonsForMissingData", "C4, dropped in FY2026."),
}
# FY2024 columns whose list FY2026 retired with them; code-lists.csv does not hold it.
FY2024_RETIRED = {
    ("Enrollment", "SexualOrientation"): ("R3.1 SexualOrientation", "R3, dropped in FY2026."),
    ("Enrollment", "PreferredLanguage"): ("C4.A PreferredLanguage", "C4, dropped in FY2026."),
}

GENERATED_FROM_2026 = "domain/hud/csv-columns-fy2026.csv` and `domain/hud/column-lists.csv"
CONSTRUCTORS = {"S": "text", "D": "date", "T": "datetime", "M": "money"}


def screaming(name):
    return field_name(name).upper()


def parse_condition(condition, where):
    """`RecordType = 144 and TypeProvided = 3` -> (("RecordType", (144,)), ("TypeProvided", (3,)))."""
    tests = []
    for part in condition.split(" and "):
        found = re.fullmatch(r"(\w+) (?:= (\d+)|in ((?:\d+ ?)+))", part.strip())
        if not found:
            sys.exit(f"{where}: cannot read the condition {condition!r}")
        column, one, several = found.groups()
        tests.append((column, (int(one),) if one else tuple(int(c) for c in several.split())))
    return tuple(tests)


def codings_2026(lists):
    """{(file, column): (coding, note)} of every FY2026 integer column. A coding is ("list",
    name), ("uncoded",) or ("when", ((conditions, list name), ...))."""
    by_column = {}
    for row in read_csv("column-lists.csv"):
        by_column.setdefault((row["file"], row["column"]), []).append(row)
    codings = {}
    for key, rows in by_column.items():
        for row in rows:
            if row["list"] and row["list"] not in lists:
                sys.exit(f"{key}: list {row['list']!r} is not in code-lists.csv")
        if len(rows) == 1:
            row = rows[0]
            coding = ("list", row["list"]) if row["list"] else ("uncoded",)
            codings[key] = (coding, row["condition"])
        else:
            cases = tuple((parse_condition(row["condition"], key), row["list"]) for row in rows)
            codings[key] = (("when", cases), "")
    return codings


def codings_2024(codings):
    """{(file, column): (coding, note)} of every FY2024 integer column."""
    found = {}
    for row in read_csv("csv-columns-fy2024.csv"):
        key = (row["file"], row["column"])
        if row["type"] != "I":
            continue
        if key in FY2024_LISTS:
            name, note = FY2024_LISTS[key]
            found[key] = (("list", name), note)
        elif key in FY2024_RETIRED:
            name, note = FY2024_RETIRED[key]
            found[key] = (("retired", name), note)
        elif key in codings:
            found[key] = (codings[key][0], "")
        else:
            sys.exit(f"FY2024 {key}: no list (add it to FY2024_LISTS or FY2024_RETIRED)")
    return found


def read_files(name, codings):
    """[(file, [column, ...])] in the CSV's order; a column is (name, type, required, coding, note)."""
    files = {}
    for row in read_csv(name):
        key = (row["file"], row["column"])
        coding, note = codings.get(key, (None, ""))
        if (row["type"] == "I") != (coding is not None):
            sys.exit(f"{name}: {key} is {row['type']} but has {'no ' if coding is None else ''}list")
        columns = files.setdefault(row["file"], [])
        if int(row["position"]) != len(columns) + 1:
            sys.exit(f"{name}: {key} is not at position {len(columns) + 1}")
        columns.append((row["column"], row["type"], row["required"] == "yes", coding, note))
    return list(files.items())


class Module:
    """The Rust of one generated module, with the names it uses from elsewhere."""

    def __init__(self):
        self.catalog = set()  # from crate::hmis_csv
        self.hud_list = False
        self.conditional = set()  # from crate::hmis_csv::fy2026

    def column(self, file_name, column):
        name, kind, required, coding, note = column
        head = f'"{name}", "{field_name(name)}"'
        self.catalog.add("REQUIRED" if required else "OPTIONAL")
        requirement = "REQUIRED" if required else "OPTIONAL"
        if kind.startswith("S"):
            call = f"text({head}, {int(kind[1:])}, {requirement})"
        elif kind in CONSTRUCTORS:
            call = f"{CONSTRUCTORS[kind]}({head}, {requirement})"
        elif kind != "I":
            sys.exit(f"{file_name}.{name}: unknown type {kind!r}")
        elif coding[0] == "list":
            self.hud_list = True
            call = f"code({head}, HudList::{type_name(coding[1])}, {requirement})"
        elif coding[0] == "uncoded":
            call = f"uncoded({head}, {requirement})"
        elif coding[0] == "retired":
            call = f"retired({head}, {rust_string(coding[1])}, {requirement})"
        else:
            const = f"{screaming(file_name)}_{screaming(name)}"
            self.conditional.add(const)
            call = f"code_when({head}, {const}, {requirement})"
        function, arguments = call[:-1].split("(", 1)
        self.catalog.add(function)
        line = f"        {call},"
        if len(line) > 100:
            # As rustfmt would break it: one argument a line.
            arguments = "".join(f"            {argument},\n" for argument in arguments.split(", "))
            line = f"        {function}(\n{arguments}        ),"
        comment = [f"        // {line}" for line in textwrap.wrap(note, 89)] if note else []
        return "\n".join([*comment, line])

    def file(self, file_name, columns, about):
        self.catalog.add("CsvFile")
        body = "\n".join(self.column(file_name, column) for column in columns)
        doc = textwrap.wrap(f"{file_name}.csv: {about}", 96)
        # Kept as the generator lays it out, one column a line, as the specifications' table
        # reads: rustfmt would break most calls over several lines.
        return (
            "\n".join(f"/// {line}" for line in doc)
            + "\n#[rustfmt::skip]"
            + f"\npub const {screaming(file_name)}: CsvFile = CsvFile {{\n"
            f'    name: "{file_name}",\n    columns: &[\n{body}\n    ],\n}};'
        )

    def uses(self, conditional_from):
        lines = []
        if self.catalog:
            lines.append(f"use crate::hmis_csv::{{{', '.join(sorted(self.catalog))}}};")
        if self.conditional:
            lines.append(f"use {conditional_from}::{{{', '.join(sorted(self.conditional))}}};")
        if self.hud_list:
            lines.append("use crate::codes::HudList;")
        return "\n".join(sorted(lines))


def conditional_lists(files):
    """The `&[ListWhen]` constants of the conditional columns of `files`."""
    found = []
    for file_name, columns in files:
        for name, _, _, coding, _ in columns:
            if coding and coding[0] == "when":
                cases = []
                for conditions, list_name in coding[1]:
                    tests = ", ".join(
                        f'column_is("{column}", &[{", ".join(str(code) for code in codes)}])'
                        for column, codes in conditions
                    )
                    cases.append(f"    list_when(&[{tests}], HudList::{type_name(list_name)}),")
                by = " and ".join(dict.fromkeys(c for conditions, _ in coding[1] for c, _ in conditions))
                found.append(
                    f"/// {file_name}.{name}: its list depends on {by}.\n"
                    f"pub const {screaming(file_name)}_{screaming(name)}: &[ListWhen] = &[\n"
                    + "\n".join(cases)
                    + "\n];"
                )
    return found


def version_files(version, files, abouts, conditional_from, shared, imports):
    """{path: Rust source} of one version's catalog: `fy<version>.rs` and a module of its folder
    per group of FILE_GROUPS with a file of its own; `shared` are files it takes from FY2026."""
    folder = CATALOG / f"fy{version}"
    note = generated_note(
        f"domain/hud/csv-columns-fy{version}.csv` and `domain/hud/column-lists.csv"
    )
    sources = {}
    exports, groups = [], []
    own = dict((name, columns) for name, columns in files if name not in shared)
    for group, says, names in FILE_GROUPS:
        names = [name for name in names if name in own]
        if not names:
            continue
        module = Module()
        body = "\n\n".join(module.file(name, own[name], abouts[name]) for name in names)
        about = textwrap.wrap(f"HMIS CSV FY{version}: {says}, columns in header order.", 96)
        sources[folder / f"{group}.rs"] = (
            "\n".join(f"//! {line}" for line in about)
            + f"\n//!\n{note}\n\n{module.uses(conditional_from)}\n\n{body}\n"
        )
        groups.append(f"mod {group};")
        exports.append(f"pub use {group}::{{{', '.join(screaming(name) for name in names)}}};")
    if shared:
        names = ", ".join(screaming(name) for name, _ in files if name in shared)
        exports.append(f"pub use crate::hmis_csv::fy2026::{{{names}}};")
    every = ", ".join(screaming(name) for name, _ in files)
    return sources, (
        f"{note}\n\n" + "\n".join(groups) + "\n\n" + "\n".join(exports) + "\n\n"
        + imports + "\n\n/// Every file of an export, in the specifications' order.\n"
        f"pub const FILES: &[CsvFile] = &[{every}];\n"
    )


def catalog_files(lists):
    """{path: Rust source} of the column catalog."""
    codings = codings_2026(lists)
    fy2026 = read_files("csv-columns-fy2026.csv", codings)
    fy2024 = read_files("csv-columns-fy2024.csv", codings_2024(codings))
    grouped = [name for _, _, names in FILE_GROUPS for name in names]
    for version, files in (("2026", fy2026), ("2024", fy2024)):
        if sorted(name for name, _ in files) != sorted(grouped) or set(grouped) != set(FILE_ABOUT):
            sys.exit(f"the FY{version} files are not those of FILE_GROUPS and FILE_ABOUT")

    sources, index = version_files(
        "2026",
        fy2026,
        FILE_ABOUT,
        "crate::hmis_csv::fy2026",
        set(),
        "use crate::codes::HudList;\nuse crate::hmis_csv::{column_is, list_when, CsvFile, ListWhen};",
    )
    constants = "\n\n".join(conditional_lists(fy2026))
    sources[CATALOG / "fy2026.rs"] = (
        "//! HMIS CSV Format Specifications FY2026 (`CSVVersion` `2026 v1.0`): every file of an\n"
        "//! export, and the lists of the columns whose list depends on the row.\n//!\n"
        + index
        + "\n"
        + constants
        + "\n"
    )

    columns_2026 = dict(fy2026)
    shared = {
        name
        for name, columns in fy2024
        if [column[:4] for column in columns] == [column[:4] for column in columns_2026[name]]
    }
    more, index = version_files(
        "2024",
        fy2024,
        {**FILE_ABOUT, **FY2024_ABOUT},
        "crate::hmis_csv::fy2026",
        shared,
        "use crate::hmis_csv::CsvFile;",
    )
    sources.update(more)
    sources[CATALOG / "fy2024.rs"] = (
        "//! HMIS CSV Format Specifications FY2024 (`CSVVersion` `2024 v1.x`): every file of an\n"
        "//! export; those FY2026 left as they were are FY2026's. The lists of the columns that\n"
        "//! FY2026 moved to another list or dropped are FY2024's, from the script.\n//!\n"
        + index
    )
    return sources


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
    lists = read_lists()
    files = formatted({**list_files(lists), **catalog_files(lists)})
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
