//! `.../enrollments/{enrollment_id}/services`: services provided during a stay (HUD
//! Services), each dated within the enrollment's period.

mod create;
mod item;
mod list;

pub use create::*;
pub use item::*;
pub use list::*;

use serde::{Deserialize, Serialize};
use threshold_domain::codes::ServiceRecordType;
use threshold_domain::money::Cents;
use threshold_domain::records::check_service;
use threshold_domain::{Date, FieldError};
use threshold_persistence::records::service;
use threshold_persistence::rows::{EnrollmentRow, ServiceRow};
use threshold_persistence::DbConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch};
use crate::http::v1::common::{Audit, NotFuture, Text};
use crate::ids::{id_text, parse_stored_id};

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date_provided": "2025-11-04", "record_type": 144,
                          "type_provided": 1, "note": "Housing search"}))]
pub struct CreateService {
    /// Within the enrollment's period, not in the future.
    #[schema(value_type = String, format = Date)]
    pub date_provided: NotFuture,
    /// HUD 1.4 record type.
    #[schema(value_type = i32)]
    pub record_type: ServiceRecordType,
    /// The HUD type of service for the record type (a positive code).
    #[schema(minimum = 1)]
    pub type_provided: i32,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100)]
    pub other_type_provided: Option<Text<100>>,
    /// Financial assistance in dollars, at most two decimals.
    #[serde(default)]
    #[schema(minimum = 0)]
    pub fa_amount: Option<f64>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 2000)]
    pub note: Option<Text<2000>>,
}

impl CheckBody for CreateService {
    fn check(&self) -> Vec<FieldError> {
        check_service(Some(self.type_provided), self.fa_amount)
    }
}

/// JSON Merge Patch of a service.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "Housing search, two viewings"}))]
pub struct UpdateService {
    #[serde(default)]
    #[schema(value_type = String, format = Date)]
    pub date_provided: Patch<NotFuture>,
    #[serde(default)]
    #[schema(value_type = i32)]
    pub record_type: Patch<ServiceRecordType>,
    #[serde(default)]
    #[schema(value_type = i32, minimum = 1)]
    pub type_provided: Patch<i32>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100)]
    pub other_type_provided: Patch<Text<100>>,
    #[serde(default)]
    #[schema(value_type = Option<f64>, minimum = 0)]
    pub fa_amount: Patch<f64>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 2000)]
    pub note: Patch<Text<2000>>,
}

impl CheckBody for UpdateService {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("date_provided", &self.date_provided, &mut errors);
        required_in_patch("record_type", &self.record_type, &mut errors);
        required_in_patch("type_provided", &self.type_provided, &mut errors);
        errors.extend(check_service(
            self.type_provided.as_value().copied(),
            self.fa_amount.as_value().copied(),
        ));
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceView {
    pub id: Uuid,
    pub enrollment_id: Uuid,
    #[schema(value_type = String, format = Date)]
    pub date_provided: Date,
    pub record_type: i32,
    pub type_provided: i32,
    pub other_type_provided: Option<String>,
    pub fa_amount: Option<f64>,
    pub note: Option<String>,
    #[serde(flatten)]
    pub audit: Audit,
}

impl ServiceView {
    fn from_row(row: &ServiceRow) -> Result<ServiceView, ApiError> {
        Ok(ServiceView {
            id: parse_stored_id(&row.id)?,
            enrollment_id: parse_stored_id(&row.enrollment_id)?,
            date_provided: row.date_provided.into(),
            record_type: row.record_type,
            type_provided: row.type_provided,
            other_type_provided: row.other_type_provided.clone(),
            fa_amount: row
                .fa_amount_cents
                .map(|cents| Cents::from(cents).dollars()),
            note: row.note.clone(),
            audit: Audit::new(
                row.version,
                row.created_at,
                row.updated_at,
                &row.created_by,
                &row.updated_by,
            ),
        })
    }
}

crate::list_of!(ServiceList, ServiceView);

fn service_of(
    conn: &mut DbConnection,
    enrollment: &EnrollmentRow,
    service_id: Uuid,
) -> Result<ServiceRow, ApiError> {
    service::find(conn, &id_text(service_id))?
        .filter(|row| row.enrollment_id == enrollment.id)
        .ok_or(ApiError::NotFound)
}
