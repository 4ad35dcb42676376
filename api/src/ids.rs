//! Record IDs as stored: hyphenated UUID text.

use uuid::Uuid;

use crate::error::ApiError;

/// A record ID from a path or body; anything else names nothing.
pub fn id_text(id: Uuid) -> String {
    id.hyphenated().to_string()
}

pub fn parse_stored_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text).map_err(|error| ApiError::Internal(format!("stored id {text}: {error}")))
}
