//! HUD lists V: VA program elements (SSVF, GPD, HUD-VASH).
//!
//! Generated from `domain/hud/code-lists.csv` by `python3 scripts/gen-hud-codes.py`: change those,
//! not this file.

use crate::codes::code_list;

code_list!(
    MilitaryBranch,
    "V1.11 MilitaryBranch",
    [
        (1, "Army"),
        (2, "Air Force"),
        (3, "Navy"),
        (4, "Marines"),
        (6, "Coast Guard"),
        (7, "Space Force"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

code_list!(
    DischargeStatus,
    "V1.12 DischargeStatus",
    [
        (1, "Honorable"),
        (2, "General under honorable conditions"),
        (4, "Bad conduct"),
        (5, "Dishonorable"),
        (6, "Under other than honorable conditions (OTH)"),
        (7, "Uncharacterized"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

// FY2026 adds 10 (Healthcare Navigation).
code_list!(
    SsvfService,
    "V2.2 SSVFServices",
    [
        (1, "Outreach services"),
        (2, "Case management services"),
        (3, "Assistance obtaining VA benefits"),
        (4, "Assistance obtaining/coordinating other public benefits"),
        (5, "Direct provision of other public benefits"),
        (6, "Other (non-TFA) supportive service approved by VA"),
        (7, "Shallow Subsidy"),
        (8, "Returning Home"),
        (9, "Rapid Resolution"),
        (10, "Healthcare Navigation")
    ]
);

code_list!(
    SsvfSubType3,
    "V2.A SSVFSubType3",
    [
        (1, "VA vocational and rehabilitation counseling"),
        (2, "Employment and training services"),
        (3, "Educational assistance"),
        (4, "Health care services")
    ]
);

code_list!(
    SsvfSubType4,
    "V2.B SSVFSubType4",
    [
        (1, "Health care services"),
        (2, "Daily living services"),
        (3, "Personal financial planning services"),
        (4, "Transportation services"),
        (5, "Income support services"),
        (6, "Fiduciary and representative payee services"),
        (7, "Legal services - child support"),
        (8, "Legal services - eviction prevention"),
        (9, "Legal services - outstanding fines and penalties"),
        (10, "Legal services - restore / acquire driver's license"),
        (11, "Legal services - other"),
        (12, "Child care"),
        (13, "Housing counseling")
    ]
);

code_list!(
    SsvfSubType5,
    "V2.C SSVFSubType5",
    [
        (1, "Personal financial planning services"),
        (2, "Transportation services"),
        (3, "Income support services"),
        (4, "Fiduciary and representative payee services"),
        (5, "Legal services - child support"),
        (6, "Legal services - eviction prevention"),
        (7, "Legal services - outstanding fines and penalties"),
        (8, "Legal services - restore / acquire driver's license"),
        (9, "Legal services - other"),
        (10, "Child care"),
        (11, "Housing counseling")
    ]
);

code_list!(
    SsvfFinancialAssistance,
    "V3.3 SSVFFinancialAssistance",
    [
        (1, "Rental assistance"),
        (2, "Security deposit"),
        (3, "Utility deposit"),
        (4, "Utility fee payment assistance"),
        (5, "Moving costs"),
        (8, "Transportation services: tokens/vouchers"),
        (9, "Transportation services: vehicle repair/maintenance"),
        (10, "Child care"),
        (12, "General housing stability assistance"),
        (14, "Emergency housing assistance"),
        (15, "Shallow Subsidy - Financial Assistance"),
        (16, "Food Assistance"),
        (17, "Landlord Incentive"),
        (18, "Tenant Incentive")
    ]
);

code_list!(
    PercentAmi,
    "V4.1 PercentAMI",
    [
        (1, "30% or less"),
        (2, "31% to 50%"),
        (3, "51% to 80%"),
        (4, "81% or greater"),
        (99, "Data not collected")
    ]
);

code_list!(
    TimeToHousingLoss,
    "V7.A TimeToHousingLoss",
    [
        (0, "1-6 days"),
        (1, "7-13 days"),
        (2, "14-21 days"),
        (3, "More than 21 days"),
        (99, "Data not collected")
    ]
);

code_list!(
    AnnualPercentAmi,
    "V7.B AnnualPercentAMI",
    [
        (
            0,
            "$0 (i.e. not employed not receiving cash benefits no other current income)"
        ),
        (1, "1-14% of Area Median Income (AMI) for household size"),
        (2, "15-30% of AMI for household size"),
        (3, "More than 30% of AMI for household size"),
        (99, "Data not collected")
    ]
);

code_list!(
    LiteralHomelessHistory,
    "V7.C LiteralHomelessHistory",
    [
        (0, "Most recent episode occurred in the last year"),
        (1, "Most recent episode occurred more than one year ago"),
        (2, "None"),
        (99, "Data not collected")
    ]
);

code_list!(
    EvictionHistory,
    "V7.G EvictionHistory",
    [
        (0, "No prior rental evictions"),
        (1, "1 prior rental eviction"),
        (2, "2 or more prior rental evictions"),
        (99, "Data not collected")
    ]
);

code_list!(
    IncarceratedAdult,
    "V7.I IncarceratedAdult",
    [
        (0, "Not incarcerated"),
        (1, "Incarcerated once"),
        (2, "Incarcerated two or more times"),
        (99, "Data not collected")
    ]
);

code_list!(
    DependentUnder6,
    "V7.O DependentUnder6",
    [
        (0, "No"),
        (1, "Youngest child is under 1 year old"),
        (
            2,
            "Youngest child is 1 to 6 years old and/or one or more children (any age) require \
             significant care"
        ),
        (99, "Data not collected")
    ]
);

// V8.2 (some list extracts call it V8.1).
code_list!(
    VoucherTracking,
    "V8.2 VoucherTracking",
    [
        (1, "Referral package forwarded to PHA"),
        (2, "Voucher denied by PHA"),
        (3, "Voucher issued by PHA"),
        (4, "Voucher revoked or expired"),
        (5, "Voucher in use - veteran moved into housing"),
        (6, "Voucher was ported locally"),
        (7, "Voucher was administratively absorbed by new PHA"),
        (8, "Voucher was converted to Housing Choice Voucher"),
        (9, "Veteran exited - voucher was returned"),
        (10, "Veteran exited - family maintained the voucher"),
        (11, "Veteran exited - prior to ever receiving a voucher"),
        (12, "Other")
    ]
);

code_list!(
    CmExitReason,
    "V9.1 CMExitReason",
    [
        (
            1,
            "Accomplished goals and/or obtained services and no longer needs CM"
        ),
        (2, "Transferred to another HUD/VASH program site"),
        (3, "Found/chose other housing"),
        (4, "Did not comply with HUD/VASH CM"),
        (5, "Eviction and/or other housing related issues"),
        (6, "Unhappy with HUD/VASH housing"),
        (7, "No longer financially eligible for HUD/VASH voucher"),
        (8, "No longer interested in participating in this program"),
        (9, "Veteran cannot be located"),
        (10, "Veteran too ill to participate at this time"),
        (11, "Veteran is incarcerated"),
        (12, "Veteran is deceased"),
        (13, "Other")
    ]
);

code_list!(
    MentalHealthConsultation,
    "V10 MentalHealthConsultation",
    [
        (1, "Mental health consultation completed"),
        (
            2,
            "Mental health consultation being coordinated/arranged with VA provider"
        ),
        (
            3,
            "Mental health consultation being coordinated/arranged with other provider"
        ),
        (4, "Offer declined")
    ]
);
