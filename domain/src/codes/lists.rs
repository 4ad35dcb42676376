//! HUD HMIS code lists (FY2026 Data Standards), from the project's reference data.
//! Generated once from `code-lists.csv`; each list is a type that holds only its codes.

use super::code_list;

code_list!(
    NoYesMissing,
    "1.8 NoYesReasonsForMissingData",
    [
        (0, "No"),
        (1, "Yes"),
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected"),
    ]
);

code_list!(
    RaceNone,
    "1.6 RaceNone",
    [
        (8, "Client doesn't know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected"),
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
        (99, "Data not collected"),
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
        (99, "Data not collected"),
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
        (99, "Data not collected"),
    ]
);

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
        ),
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
        ),
    ]
);

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
        (435, "Rental by client with ongoing housing subsidy"),
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
        (99, "Data not collected"),
    ]
);

code_list!(
    ProjectType,
    "2.02.6 ProjectType",
    [
        (0, "Emergency Shelter - Entry Exit"),
        (1, "Emergency Shelter - Night-by-Night"),
        (2, "Transitional Housing"),
        (3, "PH - Permanent Supportive Housing"),
        (4, "Street Outreach"),
        (6, "Services Only"),
        (7, "Other"),
        (8, "Safe Haven"),
        (9, "PH - Housing Only"),
        (
            10,
            "PH - Housing with Services (no disability required for entry)"
        ),
        (11, "Day Shelter"),
        (12, "Homelessness Prevention"),
        (13, "PH - Rapid Re-Housing"),
        (14, "Coordinated Entry"),
    ]
);

code_list!(
    FundingSource,
    "2.06.1 FundingSource",
    [
        (
            1,
            "HUD: CoC - Homelessness Prevention (High Performing Communities only)"
        ),
        (2, "HUD: CoC - Permanent Supportive Housing"),
        (3, "HUD: CoC - Rapid Re-Housing"),
        (4, "HUD: CoC - Supportive Services Only"),
        (5, "HUD: CoC - Transitional Housing"),
        (6, "HUD: CoC - Safe Haven"),
        (7, "HUD: CoC - Single Room Occupancy (SRO)"),
        (
            8,
            "HUD: ESG - Emergency Shelter (operating and/or essential services)"
        ),
        (9, "HUD: ESG - Homelessness Prevention"),
        (10, "HUD: ESG - Rapid Rehousing"),
        (11, "HUD: ESG - Street Outreach"),
        (13, "HUD: HOPWA - Hotel/Motel Vouchers"),
        (14, "HUD: HOPWA - Housing Information"),
        (
            15,
            "HUD: HOPWA - Permanent Housing (facility based or TBRA)"
        ),
        (16, "HUD: HOPWA - Permanent Housing Placement"),
        (
            17,
            "HUD: HOPWA - Short-Term Rent Mortgage Utility assistance"
        ),
        (18, "HUD: HOPWA - Short-Term Supportive Facility"),
        (
            19,
            "HUD: HOPWA - Transitional Housing (facility based or TBRA)"
        ),
        (20, "HUD: HUD/VASH"),
        (21, "HHS: PATH - Street Outreach & Supportive Services Only"),
        (22, "HHS: RHY - Basic Center Program"),
        (
            23,
            "HHS: RHY - Maternity Group Home for Pregnant and Parenting Youth"
        ),
        (24, "HHS: RHY - Transitional Living Program"),
        (25, "HHS: RHY - Street Outreach Project"),
        (26, "HHS: RHY - Demonstration Project"),
        (27, "VA: CRS Contract Residential Services"),
        (30, "VA: Community Contract Safe Haven Program"),
        (32, "VA: Compensated Work Therapy Transitional Residence"),
        (33, "VA: Supportive Services for Veteran Families"),
        (34, "N/A"),
        (35, "HUD: Pay for Success"),
        (36, "HUD: Public and Indian Housing (PIH) Programs"),
        (37, "VA: Grant Per Diem - Bridge Housing"),
        (38, "VA: Grant Per Diem - Low Demand"),
        (39, "VA: Grant Per Diem - Hospital to Housing"),
        (40, "VA: Grant Per Diem - Clinical Treatment"),
        (
            41,
            "VA: Grant Per Diem - Service Intensive Transitional Housing"
        ),
        (42, "VA: Grant Per Diem - Transition in Place"),
        (43, "HUD: CoC - Youth Homeless Demonstration Program (YHDP)"),
        (44, "HUD: CoC - Joint Component TH/RRH"),
        (45, "VA: Grant Per Diem - Case Management/Housing Retention"),
        (
            46,
            "Local or Other Funding Source (other_funder text required)"
        ),
        (50, "HUD: HOME"),
        (51, "HUD: HOME (ARP)"),
        (52, "HUD: PIH (Emergency Housing Voucher)"),
        (53, "HUD: ESG - RUSH"),
        (54, "HUD: Unsheltered Special NOFO"),
        (55, "HUD: Rural Special NOFO"),
        (56, "HUD: CoC - Builds"),
    ]
);

code_list!(
    AssessmentType,
    "4.19.3 AssessmentType",
    [(1, "Phone"), (2, "Virtual"), (3, "In Person"),]
);

code_list!(
    AssessmentLevel,
    "4.19.4 AssessmentLevel",
    [
        (1, "Crisis Needs Assessment"),
        (2, "Housing Needs Assessment"),
    ]
);

code_list!(
    PrioritizationStatus,
    "4.19.7 PrioritizationStatus",
    [
        (1, "Placed on prioritization list"),
        (2, "Not placed on prioritization list"),
    ]
);

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
        (300, "Moving On assistance provided"),
    ]
);

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
        (14, "Clinical assessment"),
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
        (29, "Street-based Services"),
    ]
);

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
        (14, "Other HOPWA funded service"),
    ]
);

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
        (10, "Healthcare Navigation"),
    ]
);

code_list!(
    HopwaFinancialAssistance,
    "W2.2 HOPWAFinancialAssistance",
    [
        (1, "Rental assistance"),
        (2, "Security deposits"),
        (3, "Utility deposits"),
        (4, "Utility payments"),
        (7, "Mortgage assistance"),
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
        (18, "Tenant Incentive"),
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
        (11, "Temporary housing"),
    ]
);

code_list!(BedNight, "4.14 BedNight", [(200, "Bed Night"),]);

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
        (12, "Other"),
    ]
);

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
        (5, "Other"),
    ]
);

code_list!(
    ExportPeriodType,
    "1.1 ExportPeriodType",
    [(1, "Updated"), (3, "Reporting period"), (4, "Other"),]
);

code_list!(
    ExportDirective,
    "1.2 ExportDirective",
    [(1, "Delta refresh"), (2, "Full refresh"), (3, "Other"),]
);

code_list!(
    HashStatus,
    "1.5 HashStatus",
    [
        (1, "Unhashed"),
        (2, "SHA-1 RHY"),
        (3, "Hashed - other"),
        (4, "SHA-256 (RHY)"),
    ]
);

code_list!(
    SourceType,
    "1.9 SourceType",
    [
        (1, "Continuum of Care HMIS"),
        (2, "Agency-specific database"),
        (3, "Data warehouse"),
        (4, "Other"),
    ]
);
