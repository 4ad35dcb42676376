//! The HUD data elements an enrollment collects, by their number in the HMIS Data Standards
//! Manual FY2026: one variant per element, so a rule cannot name an element HUD does not have.

use std::fmt;

use serde::{Serialize, Serializer};

/// A HUD HMIS data element collected about a client during an enrollment.
///
/// 3.917 comes in two forms with different questions (3.917A for emergency shelter, safe
/// haven and street outreach; 3.917B for every other project type): two variants, one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Element {
    Name,
    SocialSecurityNumber,
    DateOfBirth,
    RaceAndEthnicity,
    VeteranStatus,
    DisablingCondition,
    ProjectStartDate,
    ProjectExitDate,
    Destination,
    RelationshipToHoh,
    EnrollmentCoc,
    HousingMoveInDate,
    PriorLivingSituationHomeless,
    PriorLivingSituation,
    IncomeAndSources,
    NonCashBenefits,
    HealthInsurance,
    PhysicalDisability,
    DevelopmentalDisability,
    ChronicHealthCondition,
    HivAids,
    MentalHealthDisorder,
    SubstanceUseDisorder,
    DomesticViolence,
    CurrentLivingSituation,
    DateOfEngagement,
    BedNight,
    CoordinatedEntryAssessment,
    CoordinatedEntryEvent,
    Sex,
    PathServices,
    PathReferrals,
    PathStatus,
    SoarConnection,
    ReferralSource,
    BcpStatus,
    LastGradeCompleted,
    SchoolStatus,
    EmploymentStatus,
    GeneralHealthStatus,
    DentalHealthStatus,
    MentalHealthStatus,
    PregnancyStatus,
    FormerWardChildWelfare,
    FormerWardJuvenileJustice,
    FamilyCriticalIssues,
    RhyServiceConnections,
    CommercialSexualExploitation,
    LaborExploitation,
    ProjectCompletionStatus,
    Counseling,
    SafeAndAppropriateExit,
    AftercarePlans,
    HopwaServices,
    HopwaFinancialAssistance,
    MedicalAssistance,
    HousingAssessmentAtExit,
    VeteranInformation,
    SsvfServices,
    SsvfFinancialAssistance,
    PercentOfAmi,
    VamcStation,
    HpTargetingCriteria,
    VashVoucherTracking,
    VashExitInformation,
    MentalHealthConsultation,
    MovingOnAssistance,
    YouthEducationStatus,
}

impl Element {
    /// Every element, in the Data Standards' order.
    pub const ALL: [Element; 68] = [
        Element::Name,
        Element::SocialSecurityNumber,
        Element::DateOfBirth,
        Element::RaceAndEthnicity,
        Element::VeteranStatus,
        Element::DisablingCondition,
        Element::ProjectStartDate,
        Element::ProjectExitDate,
        Element::Destination,
        Element::RelationshipToHoh,
        Element::EnrollmentCoc,
        Element::HousingMoveInDate,
        Element::PriorLivingSituationHomeless,
        Element::PriorLivingSituation,
        Element::IncomeAndSources,
        Element::NonCashBenefits,
        Element::HealthInsurance,
        Element::PhysicalDisability,
        Element::DevelopmentalDisability,
        Element::ChronicHealthCondition,
        Element::HivAids,
        Element::MentalHealthDisorder,
        Element::SubstanceUseDisorder,
        Element::DomesticViolence,
        Element::CurrentLivingSituation,
        Element::DateOfEngagement,
        Element::BedNight,
        Element::CoordinatedEntryAssessment,
        Element::CoordinatedEntryEvent,
        Element::Sex,
        Element::PathServices,
        Element::PathReferrals,
        Element::PathStatus,
        Element::SoarConnection,
        Element::ReferralSource,
        Element::BcpStatus,
        Element::LastGradeCompleted,
        Element::SchoolStatus,
        Element::EmploymentStatus,
        Element::GeneralHealthStatus,
        Element::DentalHealthStatus,
        Element::MentalHealthStatus,
        Element::PregnancyStatus,
        Element::FormerWardChildWelfare,
        Element::FormerWardJuvenileJustice,
        Element::FamilyCriticalIssues,
        Element::RhyServiceConnections,
        Element::CommercialSexualExploitation,
        Element::LaborExploitation,
        Element::ProjectCompletionStatus,
        Element::Counseling,
        Element::SafeAndAppropriateExit,
        Element::AftercarePlans,
        Element::HopwaServices,
        Element::HopwaFinancialAssistance,
        Element::MedicalAssistance,
        Element::HousingAssessmentAtExit,
        Element::VeteranInformation,
        Element::SsvfServices,
        Element::SsvfFinancialAssistance,
        Element::PercentOfAmi,
        Element::VamcStation,
        Element::HpTargetingCriteria,
        Element::VashVoucherTracking,
        Element::VashExitInformation,
        Element::MentalHealthConsultation,
        Element::MovingOnAssistance,
        Element::YouthEducationStatus,
    ];

    /// The element's number in the Data Standards ("4.02", "R15", ...).
    pub const fn number(self) -> &'static str {
        self.identity().0
    }

    /// The element's name in the Data Standards.
    pub const fn name(self) -> &'static str {
        self.identity().1
    }

    const fn identity(self) -> (&'static str, &'static str) {
        use Element::*;
        match self {
            Name => ("3.01", "Name"),
            SocialSecurityNumber => ("3.02", "Social Security Number"),
            DateOfBirth => ("3.03", "Date of Birth"),
            RaceAndEthnicity => ("3.04", "Race and Ethnicity"),
            VeteranStatus => ("3.07", "Veteran Status"),
            DisablingCondition => ("3.08", "Disabling Condition"),
            ProjectStartDate => ("3.10", "Project Start Date"),
            ProjectExitDate => ("3.11", "Project Exit Date"),
            Destination => ("3.12", "Destination"),
            RelationshipToHoh => ("3.15", "Relationship to Head of Household"),
            EnrollmentCoc => ("3.16", "Enrollment CoC"),
            HousingMoveInDate => ("3.20", "Housing Move-In Date"),
            PriorLivingSituationHomeless => ("3.917", "Prior Living Situation (3.917A)"),
            PriorLivingSituation => ("3.917", "Prior Living Situation (3.917B)"),
            IncomeAndSources => ("4.02", "Income and Sources"),
            NonCashBenefits => ("4.03", "Non-Cash Benefits"),
            HealthInsurance => ("4.04", "Health Insurance"),
            PhysicalDisability => ("4.05", "Physical Disability"),
            DevelopmentalDisability => ("4.06", "Developmental Disability"),
            ChronicHealthCondition => ("4.07", "Chronic Health Condition"),
            HivAids => ("4.08", "HIV/AIDS"),
            MentalHealthDisorder => ("4.09", "Mental Health Disorder"),
            SubstanceUseDisorder => ("4.10", "Substance Use Disorder"),
            DomesticViolence => ("4.11", "Domestic Violence"),
            CurrentLivingSituation => ("4.12", "Current Living Situation"),
            DateOfEngagement => ("4.13", "Date of Engagement"),
            BedNight => ("4.14", "Bed-night Date"),
            CoordinatedEntryAssessment => ("4.19", "Coordinated Entry Assessment"),
            CoordinatedEntryEvent => ("4.20", "Coordinated Entry Event"),
            Sex => ("4.21", "Sex"),
            PathServices => ("P1", "Services Provided – PATH Funded"),
            PathReferrals => ("P2", "Referrals Provided – PATH"),
            PathStatus => ("P3", "PATH Status"),
            SoarConnection => ("P4", "Connection with SOAR"),
            ReferralSource => ("R1", "Referral Source"),
            BcpStatus => ("R2", "RHY – BCP Status"),
            LastGradeCompleted => ("R4", "Last Grade Completed"),
            SchoolStatus => ("R5", "School Status"),
            EmploymentStatus => ("R6", "Employment Status"),
            GeneralHealthStatus => ("R7", "General Health Status"),
            DentalHealthStatus => ("R8", "Dental Health Status"),
            MentalHealthStatus => ("R9", "Mental Health Status"),
            PregnancyStatus => ("R10", "Pregnancy Status"),
            FormerWardChildWelfare => {
                ("R11", "Formerly a Ward of Child Welfare/Foster Care Agency")
            }
            FormerWardJuvenileJustice => ("R12", "Formerly a Ward of Juvenile Justice System"),
            FamilyCriticalIssues => ("R13", "Family Critical Issues"),
            RhyServiceConnections => ("R14", "RHY Service Connections"),
            CommercialSexualExploitation => {
                ("R15", "Commercial Sexual Exploitation/Sex Trafficking")
            }
            LaborExploitation => ("R16", "Labor Exploitation/Trafficking"),
            ProjectCompletionStatus => ("R17", "Project Completion Status"),
            Counseling => ("R18", "Counseling"),
            SafeAndAppropriateExit => ("R19", "Safe and Appropriate Exit"),
            AftercarePlans => ("R20", "Aftercare Plans"),
            HopwaServices => ("W1", "Services Provided – HOPWA"),
            HopwaFinancialAssistance => ("W2", "Financial Assistance – HOPWA"),
            MedicalAssistance => ("W3", "Medical Assistance"),
            HousingAssessmentAtExit => ("W5", "Housing Assessment at Exit"),
            VeteranInformation => ("V1", "Veteran's Information"),
            SsvfServices => ("V2", "Services Provided – SSVF"),
            SsvfFinancialAssistance => ("V3", "Financial Assistance – SSVF"),
            PercentOfAmi => ("V4", "Percent of AMI (SSVF Eligibility)"),
            VamcStation => ("V6", "VAMC Station Number"),
            HpTargetingCriteria => ("V7", "HP Targeting Criteria"),
            VashVoucherTracking => ("V8", "HUD-VASH Voucher Tracking"),
            VashExitInformation => ("V9", "HUD-VASH Exit Information"),
            MentalHealthConsultation => ("V10", "Mental Health Consultation"),
            MovingOnAssistance => ("C2", "Moving On Assistance Provided"),
            YouthEducationStatus => ("C3", "Youth Education Status"),
        }
    }
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.number(), self.name())
    }
}

/// On the wire an element is its number, as the contract's `missing[].element` writes it.
impl Serialize for Element {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.number())
    }
}
