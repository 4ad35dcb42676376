//! HUD lists 2.x: project descriptor elements (2.02 project, 2.03 CoC, 2.06 funding,
//! 2.07 inventory, 2.08 HMIS participation).
//!
//! Generated from `domain/hud/code-lists.csv` by `python3 scripts/gen-hud-codes.py`: change those,
//! not this file.

use crate::codes::code_list;

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
        (14, "Coordinated Entry")
    ]
);

code_list!(
    TargetPopulation,
    "2.02.7 TargetPopulation",
    [
        (1, "DV: Survivor of Domestic Violence"),
        (3, "HIV: Persons with HIV/AIDS"),
        (4, "NA: Not applicable")
    ]
);

code_list!(
    HopwaMedAssistedLivingFac,
    "2.02.8 HOPWAMedAssistedLivingFac",
    [(0, "No"), (1, "Yes"), (2, "Non-HOPWA Funded Project")]
);

code_list!(
    RrhSubType,
    "2.02.A RRHSubType",
    [
        (1, "RRH: Services Only"),
        (2, "RRH: Housing with or without services")
    ]
);

code_list!(
    HousingType,
    "2.02.D HousingType",
    [
        (1, "Site-based - single site"),
        (2, "Site-based - clustered / multiple sites"),
        (3, "Tenant-based - scattered site")
    ]
);

code_list!(
    GeographyType,
    "2.03.4 GeographyType",
    [
        (1, "Urban"),
        (2, "Suburban"),
        (3, "Rural"),
        (99, "Unknown / data not collected")
    ]
);

// FY2026: 47 (ESG-CV) and 48 (HOPWA-CV), valid in FY2024, are retired, and 56 (CoC Builds) is
// new; 12 and 49 are in neither.
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
        (56, "HUD: CoC - Builds")
    ]
);

code_list!(
    HouseholdType,
    "2.07.4 HouseholdType",
    [
        (1, "Households without children"),
        (3, "Households with at least one adult and one child"),
        (4, "Households with only children")
    ]
);

code_list!(
    EsBedType,
    "2.07.5 ESBedType",
    [(1, "Facility-based"), (2, "Voucher"), (3, "Other")]
);

code_list!(
    Availability,
    "2.07.6 Availability",
    [(1, "Year-round"), (2, "Seasonal"), (3, "Overflow")]
);

code_list!(
    HmisParticipationType,
    "2.08.1 HMISParticipationType",
    [
        (0, "Not Participating"),
        (1, "HMIS Participating"),
        (2, "Comparable Database Participating")
    ]
);
