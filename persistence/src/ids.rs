//! Record IDs as stored: UUIDs as hyphenated text.

use uuid::Uuid;

use crate::error::StoreError;

pub(crate) fn parse_id(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|error| StoreError::corrupt(text, error))
}
