//! What the stored completeness of an enrollment's household says (`completeness`), as
//! columns of the statement that reads the enrollment: a read of one enrollment or a page of
//! them asks nothing more when every answer holds.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::schema::{enrollment_completeness, enrollments as enrollment_table};

// The members of an enrollment's household, under another name, so that a read of the
// enrollment can ask of them in the same statement.
diesel::alias!(crate::schema::enrollments as household_members: HouseholdMembers);

/// What the stored answers of a household's members say on a day, read in the statement
/// that reads the enrollment ([`household_answer`]): whether a member's answer does not
/// hold that day (or is missing), and whether one that holds is incomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HouseholdAnswer {
    pub unknown: bool,
    pub incomplete: bool,
}

impl HouseholdAnswer {
    /// Complete or not, as stored, over every member; `None` when a member's answer must
    /// be worked out.
    pub fn of_everyone(self) -> Option<bool> {
        (!self.unknown).then_some(!self.incomplete)
    }
}

type MemberColumn<C> = diesel::query_source::AliasedField<HouseholdMembers, C>;

/// The members (not deleted) of the household of the `enrollments` row being read, each with
/// its stored answer if it has one.
type Members = diesel::dsl::Filter<
    diesel::dsl::Filter<
        diesel::dsl::LeftJoinOn<
            diesel::query_source::Alias<HouseholdMembers>,
            enrollment_completeness::table,
            diesel::dsl::Eq<
                enrollment_completeness::enrollment_id,
                MemberColumn<enrollment_table::id>,
            >,
        >,
        diesel::dsl::Eq<
            MemberColumn<enrollment_table::household_id>,
            enrollment_table::household_id,
        >,
    >,
    diesel::dsl::IsNull<MemberColumn<enrollment_table::deleted_at>>,
>;

/// An answer that does not hold on the day (or none).
type NotHolding = diesel::dsl::Or<
    diesel::dsl::Or<
        diesel::dsl::IsNull<enrollment_completeness::as_of>,
        diesel::dsl::Gt<enrollment_completeness::as_of, NaiveDate>,
    >,
    diesel::dsl::LtEq<enrollment_completeness::holds_until, NaiveDate>,
>;

/// Whether a member of whom `Condition` holds exists.
type AnyMember<Condition> = diesel::dsl::exists<diesel::dsl::Filter<Members, Condition>>;

fn members() -> Members {
    household_members
        .left_join(
            enrollment_completeness::table.on(enrollment_completeness::enrollment_id
                .eq(household_members.field(enrollment_table::id))),
        )
        .filter(
            household_members
                .field(enrollment_table::household_id)
                .eq(enrollment_table::household_id),
        )
        .filter(
            household_members
                .field(enrollment_table::deleted_at)
                .is_null(),
        )
}

/// The columns that say, beside an enrollment (a read of `enrollments`), what its
/// household's members' stored answers say on `day`, for every member, whoever reads
/// (complete for everyone is complete for any reader; otherwise whom the reader sees
/// decides): [`HouseholdAnswer`]'s `unknown` and `incomplete`. Two correlated subqueries
/// over the household's members, with no SQL text of their own, so that the read stays a
/// prepared statement.
pub fn household_answer(
    day: NaiveDate,
) -> (
    AnyMember<NotHolding>,
    AnyMember<diesel::dsl::Eq<enrollment_completeness::complete, bool>>,
) {
    (
        diesel::dsl::exists(
            members().filter(
                enrollment_completeness::as_of
                    .is_null()
                    .or(enrollment_completeness::as_of.gt(day))
                    .or(enrollment_completeness::holds_until.le(day)),
            ),
        ),
        diesel::dsl::exists(members().filter(enrollment_completeness::complete.eq(false))),
    )
}

/// One member's stored answer, as a read selects it beside the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable)]
pub struct StoredAnswer {
    pub as_of: NaiveDate,
    pub complete: bool,
    pub holds_until: Option<NaiveDate>,
}

impl StoredAnswer {
    /// The answer on `day`, if it holds then.
    pub fn on(self, day: NaiveDate) -> Option<bool> {
        (self.as_of <= day && self.holds_until.is_none_or(|until| day < until))
            .then_some(self.complete)
    }
}
