//! What an imported record keeps of the system it came from: an enrollment's flags
//! (`enrollments.flags`), the rules it broke when another system recorded it, as the
//! domain's `flags::Flags` reads them, kept as a JSON array; and a record's source
//! (`clients.source`, `enrollments.source`, `enrollments.exit_source`).

use chrono::NaiveDateTime;
use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;
use serde::{Deserialize, Serialize};
use threshold_domain::flags::Flags;

use crate::rows::stored_text::StoredText;

/// The flags as stored: `[]` for a record made here.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, AsExpression, FromSqlRow,
)]
#[diesel(sql_type = Text)]
#[serde(transparent)]
pub struct StoredFlags(pub Flags);

impl StoredText for StoredFlags {
    type Refused = serde_json::Error;

    fn to_text(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".into())
    }

    fn from_text(text: &str) -> Result<StoredFlags, serde_json::Error> {
        serde_json::from_str(text).map(StoredFlags)
    }
}

stored_as_text!([] StoredFlags);

/// Where an imported record came from: the system (Export.csv's SourceID), the record's ID
/// there, and its DateCreated, DateUpdated and UserID there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub struct StoredSource {
    pub system: String,
    pub id: String,
    pub created_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    pub user_id: Option<String>,
}

impl StoredText for StoredSource {
    type Refused = serde_json::Error;

    fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    fn from_text(text: &str) -> Result<StoredSource, serde_json::Error> {
        serde_json::from_str(text)
    }
}

stored_as_text!([] StoredSource);
