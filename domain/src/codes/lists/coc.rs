//! HUD lists C: HUD CoC program elements (C2 Moving On assistance, C3 youth education
//! status).
//!
//! Generated from `domain/hud/code-lists.csv` by `python3 scripts/gen-hud-codes.py`: change those,
//! not this file.

use crate::codes::code_list;

code_list!(
    MovingOnAssistance,
    "C2.2 MovingOnAssistance",
    [
        (1, "Subsidized housing application assistance"),
        (
            2,
            "Financial assistance for Moving On (e.g. security deposit moving expenses)"
        ),
        (
            3,
            "Non-financial assistance for Moving On (e.g. housing navigation transition support)"
        ),
        (4, "Housing referral/placement"),
        (5, "Other")
    ]
);

code_list!(
    CurrentSchoolAttended,
    "C3.2 CurrentSchoolAttended",
    [
        (
            0,
            "Not currently enrolled in any school or educational course"
        ),
        (
            1,
            "Currently enrolled but NOT attending regularly (when school or the course is in \
             session)"
        ),
        (
            2,
            "Currently enrolled and attending regularly (when school or the course is in session)"
        ),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

code_list!(
    MostRecentEdStatus,
    "C3.A MostRecentEdStatus",
    [
        (0, "K12: Graduated from high school"),
        (1, "K12: Obtained GED"),
        (2, "K12: Dropped out"),
        (3, "K12: Suspended"),
        (4, "K12: Expelled"),
        (
            5,
            "Higher education: Pursuing a credential but not currently attending"
        ),
        (6, "Higher education: Dropped out"),
        (7, "Higher education: Obtained a credential/degree"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

code_list!(
    CurrentEdStatus,
    "C3.B CurrentEdStatus",
    [
        (0, "Pursuing a high school diploma or GED"),
        (1, "Pursuing Associate's Degree"),
        (2, "Pursuing Bachelor's Degree"),
        (3, "Pursuing Graduate Degree"),
        (4, "Pursuing other post-secondary credential"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);
