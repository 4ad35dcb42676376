//! `GET .../enrollments/{enrollment_id}/completeness`: what HUD requires of the enrollment's
//! household and is missing, per the HMIS Data Standards' applicability.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use threshold_domain::applicability::{Completeness, MissingReason};
use utoipa::ToSchema;
use uuid::Uuid;

use super::NOT_FOUND;
use crate::error::ApiError;
use crate::http::etag::content_tagged_ok;
use crate::http::operations::entry::Entry;
use crate::http::operations::Described;
use crate::http::state::AppState;
use crate::http::v1::common::Lookup;
use crate::usecases::completeness;
use crate::usecases::EnrollmentKey;

/// What HUD requires of a household and is missing.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"complete": false, "missing": [{"element": "4.02",
    "field": "income_from_any_source", "stage": 1,
    "client_id": "0193a1b2-0000-7000-8000-000000000005",
    "enrollment_id": "0193a1b2-0000-7000-8000-000000000009", "reason": "absent"}]}))]
pub struct CompletenessView {
    /// Nothing is missing, for any member the caller may see.
    pub complete: bool,
    /// Every missing field, the head's first, then by member, stage, element and field.
    pub missing: Vec<MissingView>,
}

/// One field HUD requires of one member at one stage that is not answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct MissingView {
    /// The element's number in the HMIS Data Standards (`4.02`).
    pub element: String,
    /// The API field that answers it.
    pub field: String,
    /// HUD 5.03 data collection stage: 1 project start, 3 project exit, 5 annual
    /// assessment, 6 post-exit.
    pub stage: i32,
    pub client_id: Uuid,
    pub enrollment_id: Uuid,
    /// `absent`: no record of it; `not_collected`: recorded as 99 or empty.
    #[schema(value_type = String, example = "absent")]
    pub reason: Reason,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Absent,
    NotCollected,
}

impl CompletenessView {
    fn new(found: &Completeness) -> CompletenessView {
        CompletenessView {
            complete: found.complete,
            missing: found
                .missing
                .iter()
                .map(|missing| MissingView {
                    element: missing.element.number().to_owned(),
                    field: missing.field.to_owned(),
                    stage: missing.stage.code(),
                    client_id: missing.client_id,
                    enrollment_id: missing.enrollment_id,
                    reason: match missing.reason {
                        MissingReason::Absent => Reason::Absent,
                        MissingReason::NotCollected => Reason::NotCollected,
                    },
                })
                .collect(),
        }
    }
}

pub(super) fn completeness_entry(doc: &Described) -> Entry {
    doc.read_of_item(
        "get_enrollment_completeness",
        "What HUD requires of the enrollment's household and is missing (HMIS Data Standards \
         applicability: who, project type, the grant's funding source, stage).",
    )
    .json::<CompletenessView>("200", "The household's completeness", &[])
    .status("404", NOT_FOUND)
}

pub async fn get_completeness(
    state: web::Data<AppState>,
    read: Lookup<EnrollmentKey>,
) -> Result<HttpResponse, ApiError> {
    let Lookup { caller, path } = read;
    let found = state
        .read_short(move |conn| completeness::completeness(conn, &caller, path))
        .await?;
    content_tagged_ok(&CompletenessView::new(&found))
}
