//! HUD lists 3.x: universal data elements (data quality of name, SSN and date of birth,
//! living situation, destination, relationship to head of household).
//!
//! Generated from `domain/hud/code-lists.csv` by `python3 scripts/gen-hud-codes.py`: change those,
//! not this file.

use crate::codes::code_list;

// A subset of HUD's living situation list 3.12.1: all of it but 37, 335 and 336.
code_list!(
    Destination,
    "3.12 Destination",
    [
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (17, "Other (other_destination text required)"),
        (24, "Deceased"),
        (30, "No exit interview completed"),
        (99, "Data not collected"),
        (
            101,
            "Emergency shelter (incl. hotel/motel paid with ES voucher or Host Home shelter)"
        ),
        (116, "Place not meant for habitation"),
        (118, "Safe Haven"),
        (204, "Psychiatric hospital or other psychiatric facility"),
        (205, "Substance use treatment facility or detox center"),
        (
            206,
            "Hospital or other residential non-psychiatric medical facility"
        ),
        (207, "Jail prison or juvenile detention facility"),
        (215, "Foster care home or foster care group home"),
        (225, "Long-term care facility or nursing home"),
        (302, "Transitional housing for homeless persons"),
        (312, "Staying or living with family temporary tenure"),
        (313, "Staying or living with friends temporary tenure"),
        (
            314,
            "Hotel or motel paid for without emergency shelter voucher"
        ),
        (327, "Moved from one HOPWA funded project to HOPWA TH"),
        (
            329,
            "Residential project or halfway house with no homeless criteria"
        ),
        (332, "Host Home (non-crisis)"),
        (410, "Rental by client no ongoing housing subsidy"),
        (411, "Owned by client no ongoing housing subsidy"),
        (421, "Owned by client with ongoing housing subsidy"),
        (422, "Staying or living with family permanent tenure"),
        (423, "Staying or living with friends permanent tenure"),
        (426, "Moved from one HOPWA funded project to HOPWA PH"),
        (
            435,
            "Rental by client with ongoing housing subsidy (destination_subsidy_type required)"
        )
    ]
);

code_list!(
    RentalSubsidyType,
    "3.12.A RentalSubsidyType",
    [
        (419, "VASH housing subsidy"),
        (420, "Other housing subsidy"),
        (428, "GPD TIP housing subsidy"),
        (431, "RRH or equivalent subsidy"),
        (433, "HCV voucher (tenant or project based) (not dedicated)"),
        (434, "Public housing unit"),
        (436, "Emergency Housing Voucher (Housing Stability Voucher)"),
        (437, "Family Unification Program Voucher (FUP)"),
        (438, "Foster Youth to Independence Initiative (FYI)"),
        (439, "Permanent Supportive Housing"),
        (
            440,
            "Other permanent housing dedicated for formerly homeless persons"
        )
    ]
);

code_list!(
    RelationshipToHoh,
    "3.15.1 RelationshipToHoH",
    [
        (1, "Self (head of household)"),
        (2, "Head of household's child"),
        (3, "Head of household's spouse or partner"),
        (4, "Head of household's other relation member"),
        (5, "Other: non-relation member"),
        (99, "Data not collected")
    ]
);

// A subset of HUD's living situation list 3.12.1: not 17, 24, 30, 37, 312, 313, 327, 422, 423,
// 426.
code_list!(
    PriorLivingSituation,
    "3.917 PriorLivingSituation",
    [
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected"),
        (101, "Emergency shelter"),
        (116, "Place not meant for habitation"),
        (118, "Safe Haven"),
        (204, "Psychiatric hospital or other psychiatric facility"),
        (205, "Substance use treatment facility or detox center"),
        (
            206,
            "Hospital or other residential non-psychiatric medical facility"
        ),
        (207, "Jail prison or juvenile detention facility"),
        (215, "Foster care home or foster care group home"),
        (225, "Long-term care facility or nursing home"),
        (302, "Transitional housing for homeless persons"),
        (
            314,
            "Hotel or motel paid for without emergency shelter voucher"
        ),
        (
            329,
            "Residential project or halfway house with no homeless criteria"
        ),
        (332, "Host Home (non-crisis)"),
        (
            335,
            "Staying or living in a family member's room apartment or house"
        ),
        (
            336,
            "Staying or living in a friend's room apartment or house"
        ),
        (410, "Rental by client no ongoing housing subsidy"),
        (411, "Owned by client no ongoing housing subsidy"),
        (421, "Owned by client with ongoing housing subsidy"),
        (435, "Rental by client with ongoing housing subsidy")
    ]
);

code_list!(
    LengthOfStay,
    "3.917.2 LengthOfStay",
    [
        (10, "One night or less"),
        (11, "Two to six nights"),
        (2, "One week or more but less than one month"),
        (3, "One month or more but less than 90 days"),
        (4, "90 days or more but less than one year"),
        (5, "One year or longer"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

code_list!(
    TimesHomelessPastThreeYears,
    "3.917.4 TimesHomelessPastThreeYears",
    [
        (1, "One time"),
        (2, "Two times"),
        (3, "Three times"),
        (4, "Four or more times"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

code_list!(
    MonthsHomelessPastThreeYears,
    "3.917.5 MonthsHomelessPastThreeYears",
    [
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected"),
        (101, "1"),
        (102, "2"),
        (103, "3"),
        (104, "4"),
        (105, "5"),
        (106, "6"),
        (107, "7"),
        (108, "8"),
        (109, "9"),
        (110, "10"),
        (111, "11"),
        (112, "12"),
        (113, "More than 12 months")
    ]
);

code_list!(
    DataQuality,
    "DataQuality (3.01.5 name / 3.02.2 SSN / 3.03.2 DOB)",
    [
        (1, "Full data reported"),
        (2, "Partial or approximate data reported"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);
