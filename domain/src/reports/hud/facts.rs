//! The facts HUD's APR and CAPER tables are computed from: one plain struct per enrollment,
//! with HUD's answers as the domain's code types and `None` where HUD allows a missing value.

use uuid::Uuid;

use crate::codes::{
    DataQuality, Destination, LengthOfStay, MonthsHomelessPastThreeYears, NoYesMissing,
    NoYesNotCollected, PriorLivingSituation, ProjectType, RaceNone, RelationshipToHoh, Sex,
    TimesHomelessPastThreeYears,
};
use crate::dates::Date;
use crate::money::Cents;

/// One enrollment of a client in a reported project, with the client's answers.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedEnrollment {
    pub enrollment_id: Uuid,
    pub client_id: Uuid,
    pub household_id: Uuid,
    pub project_id: Uuid,
    /// 2.02.6.
    pub project_type: ProjectType,
    /// 3.15.
    pub relationship: Option<RelationshipToHoh>,
    /// 3.10.
    pub entry_date: Date,
    /// 3.20.
    pub move_in_date: Option<Date>,
    /// 3.11.
    pub exit_date: Option<Date>,
    /// 3.12.
    pub destination: Option<Destination>,
    /// 3.16, the CoC code as recorded.
    pub enrollment_coc: Option<String>,
    /// 3.08.
    pub disabling_condition: Option<NoYesMissing>,
    /// A disability at project start (4.05-4.10) answered "yes" and, where asked, expected to
    /// be of long-continued and indefinite duration and to impair independent living: what
    /// makes a disabling condition of "no" a contradiction (HUD Q6b).
    pub has_disabling_disability: bool,
    /// 3.917.
    pub living_situation: LivingSituation,
    pub client: ClientAnswers,
    /// 4.02 at project start (data collection stage 1).
    pub income_at_start: Option<IncomeRecord>,
    /// 4.02 annual assessments (stage 5), in any order; the report picks the one that counts.
    pub annual_assessments: Vec<IncomeRecord>,
    /// 4.02 at project exit (stage 3).
    pub income_at_exit: Option<IncomeRecord>,
    /// The day the enrollment record was created (in the source system, when imported).
    pub entry_created_on: Date,
    /// The day the exit record was created, when there is one.
    pub exit_created_on: Option<Date>,
    /// The latest 4.12 current living situation (a contact), for HUD Q6f.
    pub last_contact: Option<Date>,
    /// The latest 4.14 bed night, for HUD Q6f.
    pub last_bed_night: Option<Date>,
    /// Imported though it broke enrollment rules: counted as it is.
    pub flagged: bool,
}

/// 3.917 Prior living situation and the chronic-homelessness questions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LivingSituation {
    /// 3.917.1.
    pub prior_living_situation: Option<PriorLivingSituation>,
    /// 3.917.2.
    pub length_of_stay: Option<LengthOfStay>,
    /// 3.917.2A: the stay was under 90 days (institution) or 7 nights (housing).
    pub los_under_threshold: Option<NoYesNotCollected>,
    /// 3.917.2B: on the night before, stayed on the streets, in ES or SH.
    pub previous_street_essh: Option<NoYesNotCollected>,
    /// 3.917.3.
    pub date_to_street_essh: Option<Date>,
    /// 3.917.4.
    pub times_homeless: Option<TimesHomelessPastThreeYears>,
    /// 3.917.5.
    pub months_homeless: Option<MonthsHomelessPastThreeYears>,
}

/// The client's universal data elements.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientAnswers {
    /// 3.01: whether the first and the last name are recorded.
    pub has_first_name: bool,
    pub has_last_name: bool,
    /// 3.01.5.
    pub name_data_quality: Option<DataQuality>,
    /// 3.02, as recorded (digits, maybe with dashes or an `x` for unknown digits).
    pub ssn: Option<String>,
    /// 3.02.2.
    pub ssn_data_quality: Option<DataQuality>,
    /// 3.03.
    pub dob: Option<Date>,
    /// 3.03.2.
    pub dob_data_quality: Option<DataQuality>,
    /// 3.04: whether any race or ethnicity is marked.
    pub has_race: bool,
    /// 3.04 when none is marked: why.
    pub race_none: Option<RaceNone>,
    /// 4.21.
    pub sex: Option<Sex>,
    /// 3.07.
    pub veteran_status: Option<NoYesMissing>,
}

/// One 4.02 Income and Sources record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncomeRecord {
    /// 5.03 information date.
    pub information_date: Date,
    /// 4.02.1 Income from any source.
    pub income_from_any_source: Option<NoYesMissing>,
    /// 4.02.2 Earned income, when its source is marked "yes" (monthly amount).
    pub earned: Option<Cents>,
    /// How many sources other than earned income are marked "yes" (4.02.3-4.02.15).
    pub other_sources: u32,
    /// The monthly amounts of those other sources, added up.
    pub other_amount: Cents,
    /// 4.02.T Total monthly income, as recorded.
    pub total_monthly: Option<Cents>,
}

impl IncomeRecord {
    /// Sources marked "yes", earned income included.
    pub fn sources_marked(&self) -> u32 {
        self.other_sources + u32::from(self.earned.is_some())
    }

    /// HUD's total income on a record: the sources' amounts added up, or the recorded total
    /// when no source is marked.
    pub fn total(&self) -> Cents {
        if self.sources_marked() == 0 {
            return self.total_monthly.unwrap_or(Cents::from(0));
        }
        let earned = self.earned.map(i64::from).unwrap_or(0);
        Cents::from(earned + i64::from(self.other_amount))
    }

    pub fn earned_amount(&self) -> Cents {
        self.earned.unwrap_or(Cents::from(0))
    }

    /// Whether the record answers the income question (4.02.1 is yes or no).
    pub fn is_answered(&self) -> bool {
        self.income_from_any_source
            .is_some_and(|answer| matches!(answer.code(), 0 | 1))
    }

    /// HUD Q6c's error on an income record: 4.02.1 is don't know, refused, not collected or
    /// missing; or "yes" with no source marked; or "no" with a source marked.
    pub fn has_error(&self) -> bool {
        match self.income_from_any_source.map(NoYesMissing::code) {
            Some(1) => self.sources_marked() == 0,
            Some(0) => self.sources_marked() > 0,
            _ => true,
        }
    }
}
