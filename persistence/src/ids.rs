//! Record IDs: one type per kind of record (`ClientId`, `EnrollmentId`, ...), each a UUID
//! stored as hyphenated text. This is the one place an ID is parsed from text and printed as
//! text: JSON and paths read it through serde, the database through diesel, and a value of
//! one kind cannot be passed where another kind is expected.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::str::FromStr;

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

use crate::db::MultiBackend;

/// The ID of a record of kind `K` (one of the types in [`kind`]).
#[derive(AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub struct Id<K>(Uuid, PhantomData<fn() -> K>);

/// The kinds of record an [`Id`] can name.
pub mod kind {
    pub enum Organization {}
    pub enum Program {}
    pub enum Grant {}
    pub enum ProgramCoc {}
    pub enum Inventory {}
    pub enum HmisParticipation {}
    pub enum CeParticipation {}
    pub enum Affiliation {}
    pub enum User {}
    pub enum Client {}
    pub enum Consent {}
    pub enum Household {}
    pub enum Enrollment {}
    pub enum Assessment {}
    pub enum Service {}
    pub enum Goal {}
    pub enum ActionStep {}
    pub enum FollowUp {}
    // The seven collections of records HUD collects during an enrollment, each its own kind
    // (an income and benefits record's ID cannot find a disability) and a type of its own
    // for the rows (`rows::HudCollection`), which asks these derives of it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum IncomeBenefits {}
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Disabilities {}
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum HealthAndDv {}
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum EmploymentEducation {}
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum CurrentLivingSituations {}
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Events {}
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum YouthEducationStatuses {}
    /// A record of any of the seven, as a read across them names it.
    pub enum AnyHudRecord {}
    pub enum ImportJob {}
    pub enum AuditEvent {}
    pub enum Webhook {}
    pub enum WebhookEvent {}
    pub enum WebhookDelivery {}
    pub enum WebhookAttempt {}
    /// Any kind of record: what an audit event names.
    pub enum Entity {}
}

pub type OrganizationId = Id<kind::Organization>;
pub type ProgramId = Id<kind::Program>;
pub type GrantId = Id<kind::Grant>;
pub type ProgramCocId = Id<kind::ProgramCoc>;
pub type InventoryId = Id<kind::Inventory>;
pub type HmisParticipationId = Id<kind::HmisParticipation>;
pub type CeParticipationId = Id<kind::CeParticipation>;
pub type AffiliationId = Id<kind::Affiliation>;
pub type UserId = Id<kind::User>;
pub type ClientId = Id<kind::Client>;
pub type ConsentId = Id<kind::Consent>;
pub type HouseholdId = Id<kind::Household>;
pub type EnrollmentId = Id<kind::Enrollment>;
pub type AssessmentId = Id<kind::Assessment>;
pub type ServiceId = Id<kind::Service>;
pub type GoalId = Id<kind::Goal>;
pub type ActionStepId = Id<kind::ActionStep>;
pub type FollowUpId = Id<kind::FollowUp>;
/// The ID of a record of the HUD collection `C` (`HudRecordId<IncomeBenefits>`, ...).
pub type HudRecordId<C> = Id<C>;
pub type AnyHudRecordId = Id<kind::AnyHudRecord>;
pub type ImportJobId = Id<kind::ImportJob>;
pub type AuditEventId = Id<kind::AuditEvent>;
pub type WebhookId = Id<kind::Webhook>;
pub type WebhookEventId = Id<kind::WebhookEvent>;
pub type WebhookDeliveryId = Id<kind::WebhookDelivery>;
pub type WebhookAttemptId = Id<kind::WebhookAttempt>;
pub type EntityId = Id<kind::Entity>;

/// Text that is not a UUID where an ID is stored or expected.
#[derive(Debug, thiserror::Error)]
#[error("`{text}` is not an ID: {source}")]
pub struct NotAnId {
    pub text: String,
    source: uuid::Error,
}

impl<K> Id<K> {
    /// A new time-ordered ID (UUID v7), as every stored record gets.
    pub fn new() -> Self {
        Self::from_uuid(Uuid::now_v7())
    }

    pub const fn from_uuid(uuid: Uuid) -> Self {
        Id(uuid, PhantomData)
    }

    pub const fn uuid(self) -> Uuid {
        self.0
    }

    /// The same UUID as the ID of another kind of record: only where one record's ID is,
    /// by design, another's (an audit event names any kind of record).
    pub const fn cast<L>(self) -> Id<L> {
        Id::from_uuid(self.0)
    }
}

impl<K> Default for Id<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K> From<Uuid> for Id<K> {
    fn from(uuid: Uuid) -> Self {
        Self::from_uuid(uuid)
    }
}

impl<K> From<Id<K>> for Uuid {
    fn from(id: Id<K>) -> Self {
        id.0
    }
}

impl<K> FromStr for Id<K> {
    type Err = NotAnId;

    fn from_str(text: &str) -> Result<Self, NotAnId> {
        Uuid::parse_str(text)
            .map(Self::from_uuid)
            .map_err(|source| NotAnId {
                text: text.to_owned(),
                source,
            })
    }
}

/// Hyphenated lower-case text, as stored and as on the wire.
impl<K> fmt::Display for Id<K> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), formatter)
    }
}

impl<K> fmt::Debug for Id<K> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, formatter)
    }
}

// Written by hand: derives would ask the kind, an empty enum, for the same traits.
impl<K> Clone for Id<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K> Copy for Id<K> {}

impl<K> PartialEq for Id<K> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<K> Eq for Id<K> {}

impl<K> PartialOrd for Id<K> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<K> Ord for Id<K> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl<K> Hash for Id<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl<K> Serialize for Id<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, K> Deserialize<'de> for Id<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Uuid::deserialize(deserializer).map(Self::from_uuid)
    }
}

fn stored<K>(text: &str) -> deserialize::Result<Id<K>> {
    Ok(text.parse()?)
}

impl<K> FromSql<Text, Pg> for Id<K> {
    fn from_sql(
        bytes: <Pg as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        stored(&<String as FromSql<Text, Pg>>::from_sql(bytes)?)
    }
}

impl<K> FromSql<Text, Sqlite> for Id<K> {
    fn from_sql(
        bytes: <Sqlite as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        stored(&<String as FromSql<Text, Sqlite>>::from_sql(bytes)?)
    }
}

impl<K: 'static> FromSql<Text, MultiBackend> for Id<K> {
    fn from_sql(
        bytes: <MultiBackend as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        bytes.from_sql::<Self, Text>()
    }
}

impl<K> ToSql<Text, Pg> for Id<K> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        use std::io::Write;
        write!(out, "{}", self.0.hyphenated())?;
        Ok(IsNull::No)
    }
}

impl<K> ToSql<Text, Sqlite> for Id<K> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.to_string());
        Ok(IsNull::No)
    }
}

impl<K: 'static> ToSql<Text, MultiBackend> for Id<K> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
        out.set_value((Text, self));
        Ok(IsNull::No)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_as_stored_and_parses_back() {
        let text = "0190f3c4-5b6a-7c8d-9e0f-a1b2c3d4e5f6";
        let id: ClientId = text.parse().unwrap();
        assert_eq!(id.to_string(), text);
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{text}\""));
        let back: ClientId = serde_json::from_str(&format!("\"{text}\"")).unwrap();
        assert_eq!(back, id);
    }

    #[test]
    fn upper_case_and_simple_forms_print_hyphenated() {
        let id: EnrollmentId = "0190F3C45B6A7C8D9E0FA1B2C3D4E5F6".parse().unwrap();
        assert_eq!(id.to_string(), "0190f3c4-5b6a-7c8d-9e0f-a1b2c3d4e5f6");
    }

    #[test]
    fn refuses_text_that_is_not_a_uuid() {
        let error = "client-1".parse::<ClientId>().unwrap_err();
        assert_eq!(error.text, "client-1");
        assert!(serde_json::from_str::<ClientId>("\"client-1\"").is_err());
    }

    #[test]
    fn new_ids_are_distinct_v7_uuids() {
        let first = ProgramId::new();
        let second = ProgramId::new();
        assert_ne!(first, second);
        assert_eq!(first.uuid().get_version_num(), 7);
    }
}
