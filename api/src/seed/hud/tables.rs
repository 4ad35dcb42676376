//! What the HUD records draw from: weighted codes of each field's HUD list (a unit test holds
//! every one to its list), incomes and their usual monthly amounts, and phrases.

/// 1.8 answers (0 no, 1 yes, 8 doesn't know, 9 prefers not to answer) of "income from any
/// source" (4.02), weighted.
pub const ANY_INCOME: &[(i32, u32)] = &[(1, 48), (0, 46), (8, 3), (9, 3)];
/// 4.03 non-cash benefits from any source.
pub const ANY_BENEFITS: &[(i32, u32)] = &[(1, 52), (0, 44), (8, 2), (9, 2)];
/// 4.04 covered by health insurance.
pub const ANY_INSURANCE: &[(i32, u32)] = &[(1, 74), (0, 22), (8, 2), (9, 2)];
/// P4 connection with SOAR.
pub const SOAR: &[(i32, u32)] = &[(0, 80), (1, 12), (8, 5), (9, 3)];

/// A 4.02 source of income: how often it is one's (by weight), its usual monthly amount in
/// dollars, and who has it.
pub struct IncomeSource {
    pub field: &'static str,
    pub weight: u32,
    pub dollars: (u32, u32),
    /// Wages vary to the cent; benefits are whole dollars.
    pub with_cents: bool,
    pub veterans_only: bool,
    pub from_age: u32,
}

const fn source(field: &'static str, weight: u32, low: u32, high: u32) -> IncomeSource {
    IncomeSource {
        field,
        weight,
        dollars: (low, high),
        with_cents: false,
        veterans_only: false,
        from_age: 0,
    }
}

pub const INCOME: &[IncomeSource] = &[
    IncomeSource {
        with_cents: true,
        ..source("earned", 40, 240, 3_400)
    },
    source("unemployment", 4, 600, 1_800),
    // SSI's federal payment is $943 a month; some get less.
    source("ssi", 14, 700, 943),
    source("ssdi", 14, 800, 2_100),
    IncomeSource {
        veterans_only: true,
        ..source("va_disability_service", 30, 170, 3_700)
    },
    IncomeSource {
        veterans_only: true,
        ..source("va_disability_non_service", 8, 1_000, 1_600)
    },
    source("private_disability", 1, 300, 1_500),
    source("workers_comp", 1, 400, 1_600),
    source("tanf", 6, 200, 800),
    source("ga", 4, 100, 350),
    IncomeSource {
        from_age: 62,
        ..source("soc_sec_retirement", 60, 800, 2_200)
    },
    IncomeSource {
        from_age: 55,
        ..source("pension", 10, 200, 1_500)
    },
    source("child_support", 4, 100, 800),
    source("alimony", 1, 200, 900),
    IncomeSource {
        with_cents: true,
        ..source("other_income_source", 2, 50, 500)
    },
];

pub const OTHER_INCOME: &[&str] = &[
    "Gig work",
    "Help from family",
    "Recycling cans",
    "Tribal per capita payment",
    "Stipend",
];

/// How often each 4.03 benefit (in the domain's order: SNAP, WIC, TANF child care, TANF
/// transportation, other TANF, other) is one of those received, in percent.
pub const BENEFIT_PERCENTS: [u32; 6] = [88, 12, 3, 2, 3, 4];

pub const OTHER_BENEFITS: &[&str] = &[
    "LIHEAP energy assistance",
    "Lifeline phone",
    "Food bank vouchers",
    "Transit pass",
];

/// How often each 4.04 kind of insurance (in the domain's order: Medicaid, Medicare, CHIP,
/// VA, employer, COBRA, private, state, Indian Health Service, other) is one's, in percent,
/// before age and veteran status (see `answers::insurance`).
pub const INSURANCE_PERCENTS: [u32; 10] = [68, 6, 0, 0, 6, 1, 3, 4, 1, 1];

pub const OTHER_INSURANCE: &[&str] = &["County indigent care", "Student health plan"];

/// W3 NoAssistanceReason.
pub const NO_ASSISTANCE_REASON: &[(i32, u32)] = &[(1, 10), (2, 20), (3, 50), (4, 20)];

/// A disability's answer (1.8, or 4.10.2 for substance use) by its type, for an adult or a
/// child.
pub fn disability_responses(disability_type: i32, child: bool) -> &'static [(i32, u32)] {
    match (disability_type, child) {
        (5, false) => &[(1, 14), (0, 83), (8, 2), (9, 1)],
        (6, _) => &[(1, 5), (0, 93), (8, 1), (9, 1)],
        (7, false) => &[(1, 18), (0, 79), (8, 2), (9, 1)],
        (8, _) => &[(1, 2), (0, 95), (8, 1), (9, 2)],
        (9, false) => &[(1, 28), (0, 68), (8, 2), (9, 2)],
        (10, false) => &[(0, 72), (1, 9), (2, 9), (3, 7), (8, 1), (9, 2)],
        (10, true) => &[(0, 98), (2, 1), (9, 1)],
        // A child's physical, chronic or mental health condition.
        _ => &[(1, 6), (0, 92), (8, 1), (9, 1)],
    }
}

/// 4.11.A when the domestic violence occurred.
pub const WHEN_OCCURRED: &[(i32, u32)] = &[(1, 25), (2, 15), (3, 15), (4, 40), (8, 3), (9, 2)];
/// 4.11.B currently fleeing.
pub const FLEEING: &[(i32, u32)] = &[(1, 30), (0, 65), (8, 2), (9, 3)];

/// R7.1, for general, dental and mental health.
pub const HEALTH_STATUS: &[(i32, u32)] =
    &[(1, 10), (2, 20), (3, 35), (4, 22), (5, 8), (8, 3), (9, 2)];

/// R4.1 last grade completed.
#[rustfmt::skip]
pub const LAST_GRADE: &[(i32, u32)] = &[
    (1, 1), (2, 2), (3, 5), (4, 25), (5, 30), (6, 1), (7, 10), (10, 12), (11, 5), (12, 4),
    (13, 1), (14, 4), (8, 1), (9, 1),
];

/// R5.1 school status.
#[rustfmt::skip]
pub const SCHOOL_STATUS: &[(i32, u32)] = &[
    (1, 25), (2, 10), (3, 30), (4, 10), (5, 20), (6, 2), (7, 1), (8, 1), (9, 1),
];

/// C3.A most recent educational status, of a youth not in school.
pub const MOST_RECENT_EDUCATION: &[(i32, u32)] = &[
    (0, 30),
    (1, 10),
    (2, 30),
    (3, 3),
    (4, 2),
    (5, 5),
    (6, 10),
    (7, 10),
];

/// C3.B current educational status, of a youth in school.
pub const CURRENT_EDUCATION: &[(i32, u32)] = &[(0, 40), (1, 25), (2, 15), (3, 3), (4, 17)];

/// 4.12 where a street outreach worker finds someone, weighted.
#[rustfmt::skip]
pub const OUTREACH_SITUATIONS: &[(i32, u32)] = &[
    (116, 55), (101, 12), (118, 3), (335, 7), (336, 7), (314, 4), (302, 2), (207, 2),
    (206, 2), (215, 1), (204, 1), (205, 1), (410, 1), (17, 1), (37, 1), (8, 1), (9, 1),
];

/// 4.12 where a client of another program (coordinated entry, services) is at a contact.
#[rustfmt::skip]
pub const CONTACT_SITUATIONS: &[(i32, u32)] = &[
    (116, 25), (101, 30), (118, 2), (335, 12), (336, 12), (314, 6), (302, 5), (410, 3),
    (435, 1), (207, 1), (206, 1), (8, 1), (9, 1),
];

/// 3.12.A rental subsidy of a current living situation 435.
pub const CLS_SUBSIDIES: &[(i32, u32)] = &[(419, 2), (431, 5), (433, 3), (439, 2)];

/// Where a place not meant for habitation (or a shelter) is.
pub const LOCATIONS: &[&str] = &[
    "Under the 5th Street overpass",
    "Riverside Park encampment",
    "Vehicle in the library parking lot",
    "Greyhound station",
    "Doorway on Main and 3rd",
    "Tent behind the hardware store",
    "Creek bed off Highway 9",
    "Downtown transit center",
];

/// 4.20.2 coordinated entry events, weighted.
#[rustfmt::skip]
pub const EVENTS: &[(i32, u32)] = &[
    (1, 4), (2, 14), (3, 8), (4, 12), (5, 3), (6, 4), (7, 10), (8, 2), (9, 2), (10, 12),
    (11, 5), (12, 2), (13, 10), (14, 6), (15, 2), (16, 2), (17, 1), (18, 1),
];

/// 4.20.D the result of a referral to a housing opening; 0 stands for none yet.
pub const REFERRAL_RESULTS: &[(i32, u32)] = &[(1, 55), (2, 20), (3, 15), (0, 10)];
