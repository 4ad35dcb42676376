//! HUD lists R: HHS Runaway and Homeless Youth program elements.
//!
//! Generated from `domain/hud/code-lists.csv` by `python3 scripts/gen-hud-codes.py`: change those,
//! not this file.

use crate::codes::code_list;

code_list!(
    ReferralSource,
    "R1.1 ReferralSource",
    [
        (1, "Self-referral"),
        (
            2,
            "Individual: Parent/Guardian/Relative/Friend/Foster Parent/Other Individual"
        ),
        (7, "Outreach Project"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (11, "Temporary Shelter"),
        (18, "Residential Project"),
        (28, "Hotline"),
        (30, "Child Welfare/CPS"),
        (34, "Juvenile Justice"),
        (35, "Law Enforcement/Police"),
        (37, "Mental Hospital"),
        (38, "School"),
        (39, "Other organization"),
        (99, "Data not collected")
    ]
);

code_list!(
    ReasonNoServices,
    "R2.A ReasonNoServices",
    [
        (1, "Out of age range"),
        (2, "Ward of the state"),
        (3, "Ward of the criminal justice system"),
        (4, "Other"),
        (99, "Data not collected")
    ]
);

code_list!(
    LastGradeCompleted,
    "R4.1 LastGradeCompleted",
    [
        (1, "Less than grade 5"),
        (2, "Grades 5-6"),
        (3, "Grades 7-8"),
        (4, "Grades 9-11"),
        (5, "Grade 12"),
        (6, "School program does not have grade levels"),
        (7, "GED"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (10, "Some college"),
        (11, "Associate's degree"),
        (12, "Bachelor's degree"),
        (13, "Graduate degree"),
        (14, "Vocational certification"),
        (99, "Data not collected")
    ]
);

code_list!(
    SchoolStatus,
    "R5.1 SchoolStatus",
    [
        (1, "Attending school regularly"),
        (2, "Attending school irregularly"),
        (3, "Graduated from high school"),
        (4, "Obtained GED"),
        (5, "Dropped out"),
        (6, "Suspended"),
        (7, "Expelled"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

code_list!(
    EmploymentType,
    "R6.A EmploymentType",
    [
        (1, "Full-time"),
        (2, "Part-time"),
        (3, "Seasonal / sporadic (including day labor)"),
        (99, "Data not collected")
    ]
);

code_list!(
    NotEmployedReason,
    "R6.B NotEmployedReason",
    [
        (1, "Looking for work"),
        (2, "Unable to work"),
        (3, "Not looking for work"),
        (99, "Data not collected")
    ]
);

code_list!(
    HealthStatus,
    "R7.1 HealthStatus",
    [
        (1, "Excellent"),
        (2, "Very good"),
        (3, "Good"),
        (4, "Fair"),
        (5, "Poor"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

code_list!(
    RhyNumberOfYears,
    "R11.A RHYNumberOfYears",
    [
        (1, "Less than one year"),
        (2, "1 to 2 years"),
        (3, "3 to 5 or more years"),
        (99, "Data not collected")
    ]
);

code_list!(
    RhyService,
    "R14.2 RHYServices",
    [
        (2, "Community service/service learning (CSL)"),
        (5, "Education"),
        (6, "Employment and training services"),
        (7, "Criminal justice /legal services"),
        (8, "Life skills training"),
        (10, "Parenting education for youth with children"),
        (12, "Post-natal care for client (person who gave birth)"),
        (13, "Pre-natal care"),
        (14, "Health/medical care"),
        (17, "Substance use disorder treatment"),
        (18, "Substance use disorder/Prevention Services"),
        (26, "Home-based Services"),
        (
            27,
            "Post-natal newborn care (wellness exams; immunizations)"
        ),
        (28, "STD Testing"),
        (29, "Street-based Services")
    ]
);

code_list!(
    CountOfExchangeForSex,
    "R15.B CountOfExchangeForSex",
    [
        (1, "1-3"),
        (2, "4-7"),
        (3, "8-11"),
        (4, "12 or more"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected")
    ]
);

code_list!(
    ProjectCompletionStatus,
    "R17.1 ProjectCompletionStatus",
    [
        (1, "Completed project"),
        (2, "Client voluntarily left early"),
        (
            3,
            "Client was expelled or otherwise involuntarily discharged from project"
        )
    ]
);

code_list!(
    EarlyExitReason,
    "R17.A EarlyExitReason",
    [
        (1, "Criminal activity/destruction of property/violence"),
        (2, "Non-compliance with project rules"),
        (3, "Non-payment of rent/occupancy charge"),
        (4, "Reached maximum time allowed by project"),
        (5, "Project terminated"),
        (6, "Unknown/disappeared")
    ]
);

code_list!(
    WorkerResponse,
    "R19.A WorkerResponse",
    [(0, "No"), (1, "Yes"), (2, "Worker does not know")]
);

code_list!(
    AftercareProvided,
    "R20.2 AftercareProvided",
    [(0, "No"), (1, "Yes"), (9, "Client prefers not to answer")]
);
