//! The seven collections of HUD records as storage knows them: the domain's
//! [`Collection`] as a type ([`HudCollection`], one zero-sized kind of ID each), the audit
//! entity of each (the domain's `Collection::entity`), and the `collection` column, of a record typed by its collection
//! ([`CollectionTag`]) or of any record ([`CollectionColumn`]).

use std::fmt;
use std::marker::PhantomData;

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use threshold_domain::hud_records::Collection;

use crate::ids::kind;
use crate::rows::stored_text::StoredText;

/// A collection of HUD records as a type: the kind of its records' IDs, and what a record
/// typed by it ([`super::HudRecord`]) is stored and audited as.
pub trait HudCollection:
    fmt::Debug + Clone + Copy + PartialEq + Eq + Send + Sync + 'static
{
    const COLLECTION: Collection;
    /// What `hud_records.collection` holds for it (`Collection::name`).
    const NAME: &'static str = Self::COLLECTION.name();
    /// The entity type of its records' audit and webhook events (`Collection::entity`).
    const ENTITY: &'static str = Self::COLLECTION.entity();
}

macro_rules! collections {
    ($($kind:ident),* $(,)?) => {
        $(impl HudCollection for kind::$kind {
            const COLLECTION: Collection = Collection::$kind;
        })*
    };
}

collections!(
    IncomeBenefits,
    Disabilities,
    HealthAndDv,
    EmploymentEducation,
    CurrentLivingSituations,
    Events,
    YouthEducationStatuses,
);

/// Text in `hud_records.collection` that names none of the seven collections, or another
/// than the one a typed record reads.
#[derive(Debug, thiserror::Error)]
#[error("`{found}` is not the collection {expected}")]
pub struct WrongCollection {
    found: String,
    expected: &'static str,
}

/// The `collection` column of a record of any collection, read as the domain's
/// [`Collection`] (`AnyHudRecord::collection`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub struct CollectionColumn(pub Collection);

impl From<CollectionColumn> for Collection {
    fn from(column: CollectionColumn) -> Collection {
        column.0
    }
}

impl StoredText for CollectionColumn {
    type Refused = WrongCollection;

    fn to_text(&self) -> String {
        self.0.name().to_owned()
    }

    fn from_text(text: &str) -> Result<CollectionColumn, WrongCollection> {
        Collection::from_name(text)
            .map(CollectionColumn)
            .ok_or_else(|| WrongCollection {
                found: text.to_owned(),
                expected: "of a HUD record",
            })
    }
}

stored_as_text!([] CollectionColumn);

/// The `collection` column of a record of `C`: it always holds `C::NAME`, and reading a row
/// of another collection as one of `C` fails.
#[derive(AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub struct CollectionTag<C>(PhantomData<fn() -> C>);

impl<C> CollectionTag<C> {
    pub const fn new() -> CollectionTag<C> {
        CollectionTag(PhantomData)
    }
}

// Written by hand: derives would ask the same of `C`.
impl<C> Default for CollectionTag<C> {
    fn default() -> Self {
        CollectionTag::new()
    }
}

impl<C> Clone for CollectionTag<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C> Copy for CollectionTag<C> {}

impl<C> PartialEq for CollectionTag<C> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<C> Eq for CollectionTag<C> {}

impl<C: HudCollection> fmt::Debug for CollectionTag<C> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(C::NAME)
    }
}

impl<C: HudCollection> StoredText for CollectionTag<C> {
    type Refused = WrongCollection;

    fn to_text(&self) -> String {
        C::NAME.to_owned()
    }

    fn from_text(text: &str) -> Result<Self, WrongCollection> {
        if text == C::NAME {
            Ok(CollectionTag::new())
        } else {
            Err(WrongCollection {
                found: text.to_owned(),
                expected: C::NAME,
            })
        }
    }
}

stored_as_text!([C: HudCollection] CollectionTag<C>);

impl<C: HudCollection> Serialize for CollectionTag<C> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(C::NAME)
    }
}

impl<'de, C: HudCollection> Deserialize<'de> for CollectionTag<C> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CollectionTag::from_text(&text).map_err(serde::de::Error::custom)
    }
}
