//! `.../enrollments/{enrollment_id}/services`: services provided during a stay (HUD
//! Services), each dated within the enrollment's period.

use serde::{Deserialize, Serialize};
use threshold_domain::codes::ServiceRecordType;
use threshold_domain::money::Cents;
use threshold_domain::records::{
    check_service, check_service_date, check_type_provided, RecordKind,
};
use threshold_domain::{Date, FieldError};
use threshold_persistence::ids::{EnrollmentId, Id, ServiceId};
use threshold_persistence::rows::ServiceRow;
use threshold_persistence::DbConnection;
use utoipa::ToSchema;

use crate::clock::now;
use crate::error::ApiError;
use crate::http::codes;
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch};
use crate::http::records::{Docs, Names, Parent, RecordResource, UnderEnrollment};
use crate::http::resource::audit_of;
use crate::http::v1::common::{Audit, NotFuture, Text};

/// The services of an enrollment.
pub struct Services;

impl RecordResource for Services {
    type Row = ServiceRow;
    type Create = CreateService;
    type Update = UpdateService;
    type View = ServiceView;

    const NAMES: Names = Names::plain("services", "service");
    const DOCS: Docs = Docs::new("List an enrollment's services.", "Record a service.").conflict(
        "service.outside_enrollment",
        "the date lies outside the enrollment's period",
    );
    const KIND: RecordKind = RecordKind::Service;

    // A service's date keeps a rule of its own (`service.outside_enrollment`), not the one
    // of the other records' dates, so it declares no dates for the handlers to check.
    fn check_create(
        _conn: &mut DbConnection,
        parent: &UnderEnrollment,
        body: &CreateService,
    ) -> Result<(), ApiError> {
        check_service_date(&parent.enrollment().period(), body.date_provided.0)?;
        Ok(())
    }

    fn to_row(parent: &UnderEnrollment, body: CreateService, by: &str) -> ServiceRow {
        let at = now();
        ServiceRow {
            id: Id::new(),
            enrollment_id: parent.enrollment().id,
            date_provided: body.date_provided.0.naive(),
            record_type: body.record_type.code(),
            type_provided: body.type_provided,
            other_type_provided: body.other_type_provided.map(Text::into_string),
            fa_amount_cents: body.fa_amount.and_then(Cents::from_dollars).map(i64::from),
            note: body.note.map(Text::into_string),
            version: 1,
            created_at: at,
            updated_at: at,
            created_by: by.to_owned(),
            updated_by: by.to_owned(),
            deleted_at: None,
        }
    }

    fn apply_patch(
        _conn: &mut DbConnection,
        parent: &UnderEnrollment,
        row: &mut ServiceRow,
        patch: UpdateService,
    ) -> Result<(), ApiError> {
        if let Patch::Value(date) = patch.date_provided {
            row.date_provided = date.0.naive();
            check_service_date(&parent.enrollment().period(), date.0)?;
        }
        if let Patch::Value(record_type) = patch.record_type {
            row.record_type = record_type.code();
        }
        if let Patch::Value(type_provided) = patch.type_provided {
            row.type_provided = type_provided;
        }
        // The pair as it will be stored, whichever half the patch changes. A stored record
        // type is always one of HUD's (written through `ServiceRecordType`).
        if let Ok(record_type) = ServiceRecordType::try_from(row.record_type) {
            ApiError::check_fields(
                check_type_provided("type_provided", record_type, row.type_provided)
                    .into_iter()
                    .collect(),
            )?;
        }
        row.other_type_provided = patch
            .other_type_provided
            .apply_with(row.other_type_provided.take(), Text::into_string);
        row.fa_amount_cents = match patch.fa_amount {
            Patch::Absent => row.fa_amount_cents,
            Patch::Null => None,
            Patch::Value(amount) => Cents::from_dollars(amount).map(i64::from),
        };
        row.note = patch.note.apply_with(row.note.take(), Text::into_string);
        Ok(())
    }

    fn view(row: &ServiceRow) -> Result<ServiceView, ApiError> {
        Ok(ServiceView {
            id: row.id,
            enrollment_id: row.enrollment_id,
            date_provided: row.date_provided.into(),
            record_type: row.record_type,
            type_provided: row.type_provided,
            other_type_provided: row.other_type_provided.clone(),
            fa_amount: row
                .fa_amount_cents
                .map(|cents| Cents::from(cents).dollars()),
            note: row.note.clone(),
            audit: audit_of(row),
        })
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date_provided": "2025-11-04", "record_type": 144,
                          "type_provided": 1, "note": "Housing search"}))]
pub struct CreateService {
    /// Within the enrollment's period, not in the future.
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub date_provided: NotFuture,
    /// HUD 1.4 record type.
    #[schema(value_type = codes::ServiceRecordType)]
    pub record_type: ServiceRecordType,
    /// The HUD type of service, a code of the list the record type uses (4.14 BedNight
    /// for 200, P1.2 PATHServices for 141, V2.2 SSVFServices for 144, ...).
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
        let mut errors = check_service(Some(self.type_provided), self.fa_amount);
        errors.extend(check_type_provided(
            "type_provided",
            self.record_type,
            self.type_provided,
        ));
        errors
    }
}

/// JSON Merge Patch of a service.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "Housing search, two viewings"}))]
pub struct UpdateService {
    #[serde(default)]
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub date_provided: Patch<NotFuture>,
    #[serde(default)]
    #[schema(value_type = codes::ServiceRecordType)]
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
    #[schema(value_type = Uuid)]
    pub id: ServiceId,
    #[schema(value_type = Uuid)]
    pub enrollment_id: EnrollmentId,
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub date_provided: Date,
    #[schema(value_type = codes::ServiceRecordType)]
    pub record_type: i32,
    pub type_provided: i32,
    pub other_type_provided: Option<String>,
    pub fa_amount: Option<f64>,
    pub note: Option<String>,
    #[serde(flatten)]
    pub audit: Audit,
}
