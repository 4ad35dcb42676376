//! An enrollment's flags (`enrollments.flags`): the rules it broke when another system
//! recorded it, as the domain's `flags::Flags` reads them, kept as a JSON array.

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
