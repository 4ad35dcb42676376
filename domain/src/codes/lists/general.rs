//! HUD lists 1.1-1.10 and 5.03.1: export metadata, record and disability types, and the
//! answers many elements share (No/Yes, reasons for missing data).
//!
//! Generated from `domain/hud/code-lists.csv` by `python3 scripts/gen-hud-codes.py`: change those,
//! not this file.

use crate::codes::code_list;

code_list!(
    ExportPeriodType,
    "1.1 ExportPeriodType",
    [(1, "Updated"), (3, "Reporting period"), (4, "Other")]
);

code_list!(
    ExportDirective,
    "1.2 ExportDirective",
    [(1, "Delta refresh"), (2, "Full refresh"), (3, "Other")]
);

code_list!(
    DisabilityType,
    "1.3 DisabilityType",
    [
        (5, "Physical disability"),
        (6, "Developmental disability"),
        (7, "Chronic health condition"),
        (8, "HIV/AIDS"),
        (9, "Mental health disorder"),
        (10, "Substance use disorder")
    ]
);

// The RecordType of a Services.csv row: it picks TypeProvided's list.
code_list!(
    ServiceRecordType,
    "1.4 RecordType (Services)",
    [
        (141, "PATH service"),
        (142, "RHY service connections"),
        (143, "HOPWA service"),
        (144, "SSVF service"),
        (151, "HOPWA financial assistance"),
        (152, "SSVF financial assistance"),
        (161, "PATH referral"),
        (200, "Bed night"),
        (210, "HUD-VASH OTH voucher tracking"),
        (300, "Moving On assistance provided")
    ]
);

code_list!(
    HashStatus,
    "1.5 HashStatus",
    [
        (1, "Unhashed"),
        (2, "SHA-1 RHY"),
        (3, "Hashed - other"),
        (4, "SHA-256 (RHY)")
    ]
);

code_list!(
    RaceNone,
    "1.6 RaceNone",
    [
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

// Named for its codes (No, Yes, Data not collected): HUD's name, NoYesMissing, is the project's
// name for list 1.8.
code_list!(
    NoYesNotCollected,
    "1.7 NoYesMissing",
    [(0, "No"), (1, "Yes"), (99, "Data not collected")]
);

// Not HUD's name: the project's name for list 1.8, which the rules and the API use (HUD's 1.7
// NoYesMissing is NoYesNotCollected).
code_list!(
    NoYesMissing,
    "1.8 NoYesReasonsForMissingData",
    [
        (0, "No"),
        (1, "Yes"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

code_list!(
    SourceType,
    "1.9 SourceType",
    [
        (1, "Continuum of Care HMIS"),
        (2, "Agency-specific database"),
        (3, "Data warehouse"),
        (4, "Other")
    ]
);

code_list!(NoYes, "1.10 NoYes", [(0, "No"), (1, "Yes")]);

// HUD does not use 6 (post-exit) in CSV exports.
code_list!(
    DataCollectionStage,
    "5.03.1 DataCollectionStage",
    [
        (1, "Project entry"),
        (2, "Update"),
        (3, "Project exit"),
        (5, "Annual assessment"),
        (6, "Post-exit")
    ]
);
