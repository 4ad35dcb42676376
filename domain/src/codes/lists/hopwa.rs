//! HUD lists W: HOPWA program elements.
//!
//! Generated from `domain/hud/code-lists.csv` by `python3 scripts/gen-hud-codes.py`: change those,
//! not this file.

use crate::codes::code_list;

code_list!(
    HopwaService,
    "W1.2 HOPWAServices",
    [
        (1, "Adult day care and personal assistance"),
        (2, "Case management"),
        (3, "Child care"),
        (4, "Criminal justice/legal services"),
        (5, "Education"),
        (6, "Employment and training services"),
        (7, "Food/meals/nutritional services"),
        (8, "Health/medical care"),
        (9, "Life skills training"),
        (10, "Mental health care/counseling"),
        (11, "Outreach and/or engagement"),
        (12, "Substance use services/treatment"),
        (13, "Transportation"),
        (14, "Other HOPWA funded service")
    ]
);

// W2.2 (some list extracts call it V2.3).
code_list!(
    HopwaFinancialAssistance,
    "W2.2 HOPWAFinancialAssistance",
    [
        (1, "Rental assistance"),
        (2, "Security deposits"),
        (3, "Utility deposits"),
        (4, "Utility payments"),
        (7, "Mortgage assistance")
    ]
);

code_list!(
    NoAssistanceReason,
    "W3 NoAssistanceReason",
    [
        (1, "Applied; decision pending"),
        (2, "Applied; client not eligible"),
        (3, "Client did not apply"),
        (4, "Insurance type not applicable for this client"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

code_list!(
    ViralLoadAvailable,
    "W4.3 ViralLoadAvailable",
    [
        (0, "Not available"),
        (1, "Available"),
        (2, "Undetectable"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

code_list!(
    TCellViralLoadSource,
    "W4.B TCellViralLoadSource",
    [(1, "Medical Report"), (2, "Client Report"), (3, "Other")]
);

code_list!(
    HousingAssessmentAtExit,
    "W5.1 HousingAssessmentAtExit",
    [
        (1, "Able to maintain the housing they had at project entry"),
        (2, "Moved to new housing unit"),
        (3, "Moved in with family/friends on a temporary basis"),
        (4, "Moved in with family/friends on a permanent basis"),
        (
            5,
            "Moved to a transitional or temporary housing facility or program"
        ),
        (
            6,
            "Client became homeless - moving to a shelter or other place unfit for human \
             habitation"
        ),
        (7, "Jail/prison"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (10, "Deceased"),
        (99, "Data not collected")
    ]
);

code_list!(
    SubsidyInformation,
    "W5.AB SubsidyInformation",
    [
        (1, "Without a subsidy"),
        (2, "With the subsidy they had at project entry"),
        (3, "With an on-going subsidy acquired since project entry"),
        (4, "Only with financial assistance other than a subsidy"),
        (11, "With on-going subsidy"),
        (12, "Without an on-going subsidy")
    ]
);
