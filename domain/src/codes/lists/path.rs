//! HUD lists P: HHS PATH program elements.
//!
//! Generated from `domain/hud/code-lists.csv` by `python3 scripts/gen-hud-codes.py`: change those,
//! not this file.

use crate::codes::code_list;

code_list!(
    PathService,
    "P1.2 PATHServices",
    [
        (1, "Re-engagement"),
        (2, "Screening"),
        (3, "Habilitation/rehabilitation"),
        (4, "Community mental health"),
        (5, "Substance use treatment"),
        (6, "Case management"),
        (7, "Residential supportive services"),
        (8, "Housing minor renovation"),
        (9, "Housing moving assistance"),
        (10, "Housing eligibility determination"),
        (11, "Security deposits"),
        (12, "One-time rent for eviction prevention"),
        (14, "Clinical assessment")
    ]
);

code_list!(
    PathReferral,
    "P2.2 PATHReferral",
    [
        (1, "Community mental health"),
        (2, "Substance use treatment"),
        (3, "Primary health/dental care"),
        (4, "Job training"),
        (5, "Educational services"),
        (6, "Housing services"),
        (7, "Permanent housing"),
        (8, "Income assistance"),
        (9, "Employment assistance"),
        (10, "Medical insurance"),
        (11, "Temporary housing")
    ]
);

code_list!(
    PathReferralOutcome,
    "P2.A PATHReferralOutcome",
    [(1, "Attained"), (2, "Not attained"), (3, "Unknown")]
);

code_list!(
    ReasonNotEnrolled,
    "P3.A ReasonNotEnrolled",
    [
        (1, "Client was found ineligible for PATH"),
        (2, "Client was not enrolled for other reason(s)"),
        (3, "Unable to locate client")
    ]
);
