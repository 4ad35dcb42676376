//! What one person answers HUD's questions with over a stay ([`Profile`]), and each element's
//! fields from it, as a request body would give them: incomes and their amounts, benefits,
//! health insurance, disabilities in line with the enrollment's disabling condition, domestic
//! violence, health, education and employment, in realistic shares.

use std::borrow::Cow;

use threshold_domain::applicability::Element;
use threshold_domain::hud_records::consistency::{BENEFITS, INCOME_SOURCES, INSURANCE};
use threshold_domain::Date;

use super::draws::*;
use super::tables::*;
use crate::seed::chance::{plus_days, Chance};

/// A field's value as the seed gives it, read by the domain as a request's JSON would be.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Code(i32),
    Cents(i64),
    /// Text, or a date as `YYYY-MM-DD`.
    Text(Cow<'static, str>),
}

/// A record's fields by name, in the order given.
pub type Answers = Vec<(&'static str, Answer)>;

/// What the answers depend on about the person.
#[derive(Debug, Clone, Copy)]
pub struct Person {
    /// Age at project start; none when the date of birth is unknown (then taken as an adult).
    pub age: Option<u32>,
    pub female: bool,
    pub veteran: bool,
}

impl Person {
    /// The age at project start, or an adult's when it is unknown.
    pub fn age_or_adult(&self) -> u32 {
        self.age.unwrap_or(35)
    }
}

/// One person's answers during one stay. Drawn at project start; later stages take them
/// over, with what changes ([`Profile::moved_on`]).
#[derive(Debug, Clone)]
pub struct Profile {
    person: Person,
    income: Sources,
    benefits: Sources,
    insurance: Sources,
    soar: i32,
    /// W3: ADAP and Ryan White, each with the reason when not received.
    medical: [(i32, Option<i32>); 2],
    /// 4.05-4.10, in order of disability type (5 to 10).
    disabilities: [Disability; 6],
    /// W4 and W6, asked of a HOPWA client with HIV/AIDS: the T-cell count and whether a
    /// viral load is available (with it when it is).
    hiv_details: Option<(i32, i32, Option<i32>)>,
    domestic_violence: (i32, Option<(i32, i32)>),
    health: [i32; 3],
    due_date: Option<Date>,
    pregnancy: i32,
    last_grade: i32,
    school_status: i32,
    employment: (i32, Option<i32>),
    youth_education: (i32, Option<i32>),
}

/// The disability types of 4.05-4.10, in order.
pub const DISABILITY_TYPES: [i32; 6] = [5, 6, 7, 8, 9, 10];

impl Profile {
    /// A person's answers at project start (`entry`). The disabilities agree with the
    /// enrollment's 3.08 disabling condition (`disabling`): a yes has one expected to be
    /// long-continued, a no none, nor a developmental disability or HIV/AIDS (which are
    /// disabling by definition). `hopwa`: the program is HOPWA's, which asks W4 and W6.
    pub fn draw(
        chance: &mut Chance,
        person: Person,
        entry: Date,
        disabling: Option<i32>,
        hopwa: bool,
    ) -> Profile {
        let disabilities = disabilities(chance, person, disabling);
        let female_of_age = person.female && (14..=49).contains(&person.age_or_adult());
        let pregnancy = if female_of_age {
            chance.weighted(&[(1, 9), (0, 89), (8, 1), (9, 1)])
        } else {
            0
        };
        Profile {
            person,
            income: income(chance, person),
            benefits: benefits(chance),
            insurance: insurance(chance, person),
            soar: chance.weighted(SOAR),
            medical: [medical_assistance(chance), medical_assistance(chance)],
            hiv_details: (hopwa && disabilities[3].response == 1).then(|| hiv_details(chance)),
            disabilities,
            domestic_violence: domestic_violence(chance),
            health: [
                chance.weighted(HEALTH_STATUS),
                chance.weighted(HEALTH_STATUS),
                chance.weighted(HEALTH_STATUS),
            ],
            due_date: (pregnancy == 1).then(|| plus_days(entry, chance.between(20, 250))),
            pregnancy,
            last_grade: chance.weighted(LAST_GRADE),
            school_status: chance.weighted(SCHOOL_STATUS),
            employment: employment(chance),
            youth_education: youth_education(chance),
        }
    }

    /// The answers of a later stage: some incomes, benefits, insurance, jobs and health
    /// change over a stay, and some disclose domestic violence; disabilities do not. A
    /// pregnancy past its due date is over.
    pub fn moved_on(&mut self, chance: &mut Chance, date: Date) {
        if chance.percent(30) {
            self.income = income(chance, self.person);
        }
        if chance.percent(20) {
            self.benefits = benefits(chance);
        }
        if chance.percent(15) {
            self.insurance = insurance(chance, self.person);
        }
        if chance.percent(25) {
            self.employment = employment(chance);
        }
        if chance.percent(30) {
            self.health[0] = chance.weighted(HEALTH_STATUS);
        }
        if self.domestic_violence.0 == 0 && chance.percent(5) {
            // Disclosed once trust is built.
            self.domestic_violence = (1, Some((chance.weighted(WHEN_OCCURRED), 0)));
        }
        if self.due_date.is_some_and(|due| due < date) {
            self.due_date = None;
            self.pregnancy = 0;
        }
    }

    /// The fields of `element` (beside a disability's type, the row's own), added to `out`.
    /// Elements of no record collection add nothing.
    pub fn answer(&self, element: Element, out: &mut Answers) {
        use Element::*;
        match element {
            IncomeAndSources => self.income_fields(out),
            NonCashBenefits => sources(out, "benefits_from_any_source", &BENEFITS, &self.benefits),
            HealthInsurance => sources(
                out,
                "insurance_from_any_source",
                &INSURANCE,
                &self.insurance,
            ),
            SoarConnection => code(out, "connection_with_soar", self.soar),
            MedicalAssistance => {
                let [(adap, no_adap), (ryan_white, no_ryan_white)] = self.medical;
                code(out, "adap", adap);
                optional(out, "no_adap_reason", no_adap);
                code(out, "ryan_white_med_dent", ryan_white);
                optional(out, "no_ryan_white_reason", no_ryan_white);
            }
            PhysicalDisability => self.disability(0, out),
            DevelopmentalDisability => self.disability(1, out),
            ChronicHealthCondition => self.disability(2, out),
            HivAids => self.disability(3, out),
            MentalHealthDisorder => self.disability(4, out),
            SubstanceUseDisorder => self.disability(5, out),
            DomesticViolence => {
                let (survivor, details) = self.domestic_violence;
                code(out, "domestic_violence_survivor", survivor);
                if let Some((when, fleeing)) = details {
                    code(out, "when_occurred", when);
                    code(out, "currently_fleeing", fleeing);
                }
            }
            GeneralHealthStatus => code(out, "general_health_status", self.health[0]),
            DentalHealthStatus => code(out, "dental_health_status", self.health[1]),
            MentalHealthStatus => code(out, "mental_health_status", self.health[2]),
            PregnancyStatus => {
                code(out, "pregnancy_status", self.pregnancy);
                if let Some(due) = self.due_date {
                    out.push(("due_date", Answer::Text(Cow::Owned(due.to_string()))));
                }
            }
            LastGradeCompleted => code(out, "last_grade_completed", self.last_grade),
            SchoolStatus => code(out, "school_status", self.school_status),
            EmploymentStatus => {
                let (employed, detail) = self.employment;
                code(out, "employed", employed);
                match employed {
                    1 => optional(out, "employment_type", detail),
                    0 => optional(out, "not_employed_reason", detail),
                    _ => {}
                }
            }
            YouthEducationStatus => {
                let (attends, status) = self.youth_education;
                code(out, "current_school_attend", attends);
                let field = if attends == 0 {
                    "most_recent_ed_status"
                } else {
                    "current_ed_status"
                };
                optional(out, field, status);
            }
            _ => {}
        }
    }

    /// 4.02: every source asked once there is income, the amounts of those at 1 and their
    /// total.
    fn income_fields(&self, out: &mut Answers) {
        let income = &self.income;
        code(out, "income_from_any_source", income.any);
        if income.any != 1 {
            return;
        }
        let mut total = 0;
        for (index, (source, amount_field)) in INCOME_SOURCES.iter().enumerate() {
            match income.yes.iter().find(|(yes, _)| *yes == index) {
                Some((_, cents)) => {
                    code(out, source, 1);
                    out.push((amount_field, Answer::Cents(*cents)));
                    total += cents;
                }
                None => code(out, source, 0),
            }
        }
        out.push(("total_monthly_income", Answer::Cents(total)));
        if let Some(other) = income.other {
            out.push(("other_income_source_identify", Answer::Text(other.into())));
        }
    }

    fn disability(&self, index: usize, out: &mut Answers) {
        let disability = self.disabilities[index];
        code(out, "disability_response", disability.response);
        optional(out, "indefinite_and_impairs", disability.indefinite);
        if let (3, Some((t_cells, viral_load_available, viral_load))) = (index, self.hiv_details) {
            // W4 and W6: the latest T-cell count and viral load, from a medical report, and
            // the treatment.
            code(out, "t_cell_count_available", 1);
            code(out, "t_cell_count", t_cells);
            code(out, "t_cell_source", 1);
            code(out, "viral_load_available", viral_load_available);
            if let Some(viral_load) = viral_load {
                code(out, "viral_load", viral_load);
                code(out, "viral_load_source", 1);
            }
            code(out, "anti_retroviral", 1);
        }
    }
}

fn code(out: &mut Answers, field: &'static str, value: i32) {
    out.push((field, Answer::Code(value)));
}

fn optional(out: &mut Answers, field: &'static str, value: Option<i32>) {
    if let Some(value) = value {
        code(out, field, value);
    }
}

/// 4.03 and 4.04: "from any source" and, when 1, every source asked.
fn sources(out: &mut Answers, any_field: &'static str, names: &[&'static str], answer: &Sources) {
    code(out, any_field, answer.any);
    if answer.any != 1 {
        return;
    }
    for (index, name) in names.iter().enumerate() {
        let yes = answer.yes.iter().any(|(yes, _)| *yes == index);
        code(out, name, i32::from(yes));
    }
    if let Some(other) = answer.other {
        let field = match any_field {
            "benefits_from_any_source" => "other_benefits_source_identify",
            _ => "other_insurance_identify",
        };
        out.push((field, Answer::Text(other.into())));
    }
}
