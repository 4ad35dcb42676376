//! HUD lists 4.x: program-specific elements shared by federal partners (health insurance,
//! disabilities, domestic violence, current living situation, bed nights, coordinated
//! entry, sex).
//!
//! Generated from `domain/hud/code-lists.csv` by `python3 scripts/gen-hud-codes.py`: change those,
//! not this file.

use crate::codes::code_list;

code_list!(
    ReasonNotInsured,
    "4.04.A ReasonNotInsured",
    [
        (1, "Applied; decision pending"),
        (2, "Applied; client not eligible"),
        (3, "Client did not apply"),
        (4, "Insurance type N/A for this client"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

code_list!(
    DisabilityResponse,
    "4.10.2 DisabilityResponse",
    [
        (0, "No"),
        (1, "Alcohol use disorder"),
        (2, "Drug use disorder"),
        (3, "Both alcohol and drug use disorders"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

code_list!(
    WhenDvOccurred,
    "4.11.A WhenDVOccurred",
    [
        (1, "Within the past three months"),
        (2, "Three to six months ago (excluding six months exactly)"),
        (3, "Six months to one year ago (excluding one year exactly)"),
        (4, "One year or more"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

// A subset of HUD's living situation list 3.12.1: not 24, 30, 312, 313, 327, 422, 423, 426.
code_list!(
    CurrentLivingSituation,
    "4.12 CurrentLivingSituation",
    [
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (17, "Other"),
        (37, "Worker unable to determine"),
        (99, "Data not collected"),
        (
            101,
            "Emergency shelter including hotel or motel paid for with emergency shelter voucher or \
             Host Home shelter"
        ),
        (
            116,
            "Place not meant for habitation (e.g. a vehicle an abandoned building bus/train/subway \
             station/airport or anywhere outside)"
        ),
        (118, "Safe Haven"),
        (204, "Psychiatric hospital or other psychiatric facility"),
        (205, "Substance abuse treatment facility or detox center"),
        (206, "Hospital or other residential non-psychiatric medical facility"),
        (207, "Jail prison or juvenile detention facility"),
        (215, "Foster care home or foster care group home"),
        (225, "Long-term care facility or nursing home"),
        (302, "Transitional housing for homeless persons (including homeless youth)"),
        (314, "Hotel or motel paid for without emergency shelter voucher"),
        (329, "Residential project or halfway house with no homeless criteria"),
        (332, "Host Home (non-crisis)"),
        (335, "Staying or living in a family member's room apartment or house"),
        (336, "Staying or living in a friend's room apartment or house"),
        (410, "Rental by client no ongoing housing subsidy"),
        (411, "Owned by client no ongoing housing subsidy"),
        (421, "Owned by client with ongoing housing subsidy"),
        (435, "Rental by client with ongoing housing subsidy")
    ]
);

code_list!(BedNight, "4.14 BedNight", [(200, "Bed Night")]);

code_list!(
    AssessmentType,
    "4.19.3 AssessmentType",
    [(1, "Phone"), (2, "Virtual"), (3, "In Person")]
);

code_list!(
    AssessmentLevel,
    "4.19.4 AssessmentLevel",
    [
        (1, "Crisis Needs Assessment"),
        (2, "Housing Needs Assessment")
    ]
);

code_list!(
    PrioritizationStatus,
    "4.19.7 PrioritizationStatus",
    [
        (1, "Placed on prioritization list"),
        (2, "Not placed on prioritization list")
    ]
);

code_list!(
    EventType,
    "4.20.2 EventType",
    [
        (1, "Referral to Prevention Assistance project"),
        (
            2,
            "Problem Solving/Diversion/Rapid Resolution intervention or service"
        ),
        (
            3,
            "Referral to scheduled Coordinated Entry Crisis Needs Assessment"
        ),
        (
            4,
            "Referral to scheduled Coordinated Entry Housing Needs Assessment"
        ),
        (5, "Referral to Post-placement/ follow-up case management"),
        (6, "Referral to Street Outreach project or services"),
        (7, "Referral to Housing Navigation project or services"),
        (
            8,
            "Referral to Non-continuum services: Ineligible for continuum services"
        ),
        (
            9,
            "Referral to Non-continuum services: No availability in continuum services"
        ),
        (10, "Referral to Emergency Shelter bed opening"),
        (11, "Referral to Transitional Housing bed/unit opening"),
        (12, "Referral to Joint TH-RRH project/unit/resource opening"),
        (13, "Referral to RRH project resource opening"),
        (14, "Referral to PSH project resource opening"),
        (15, "Referral to Other PH project/unit/resource opening"),
        (
            16,
            "Referral to emergency assistance/flex fund/furniture assistance"
        ),
        (17, "Referral to Emergency Housing Voucher (EHV)"),
        (18, "Referral to a Housing Stability Voucher")
    ]
);

code_list!(
    ReferralResult,
    "4.20.D ReferralResult",
    [
        (1, "Successful referral: client accepted"),
        (2, "Unsuccessful referral: client rejected"),
        (3, "Unsuccessful referral: provider rejected")
    ]
);

code_list!(
    Sex,
    "4.21 Sex",
    [
        (0, "Female"),
        (1, "Male"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);
