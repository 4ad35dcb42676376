//! `/v1/programs/{program_id}/grants`: HMIS funders. Admins write; every caller reads.

use serde::{Deserialize, Serialize};
use threshold_domain::codes::FundingSource;
use threshold_domain::dates::check_date_order;
use threshold_domain::program::{check_grant, check_retired_funder, GrantFunder};
use threshold_domain::{Date, FieldError};
use threshold_persistence::error::StoreError;
use threshold_persistence::ids::{GrantId, Id, ProgramId};
use threshold_persistence::page::Page;
use threshold_persistence::reference;
use threshold_persistence::rows::GrantRow;
use threshold_persistence::DbConnection;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::codes;
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch};
use crate::http::pagination::PageQuery;
use crate::http::reference::{Docs, Names, ReferenceResource, UnderProgram};
use crate::http::resource::audit_of;
use crate::http::v1::common::{Audit, Text};

/// The grants of a program.
pub struct Grants;

impl ReferenceResource for Grants {
    type Parent = UnderProgram;
    type Row = GrantRow;
    type Create = CreateGrant;
    type Update = UpdateGrant;
    type View = GrantView;
    type Query = PageQuery;

    const NAMES: Names = Names::plain("grants", "grant");
    const DOCS: Docs = Docs::new("List a program's grants.", "Add a grant to a program.")
        .not_found("No such grant in this program");

    /// A grant is found under its own program only.
    fn visible(_caller: &Caller, program_id: ProgramId, row: &GrantRow) -> bool {
        row.program_id == program_id
    }

    fn list(
        conn: &mut DbConnection,
        _caller: &Caller,
        program_id: ProgramId,
        _query: &PageQuery,
        after: Option<GrantId>,
        limit: i64,
    ) -> Result<Page<GrantRow>, StoreError> {
        reference::list_grants(conn, program_id, after, limit)
    }

    fn to_row(program_id: ProgramId, body: &CreateGrant, by: &str) -> GrantRow {
        let at = now();
        GrantRow {
            id: Id::new(),
            program_id,
            funder: body.funder.code(),
            other_funder: body
                .other_funder
                .as_ref()
                .map(|text| text.as_str().to_owned()),
            grant_identifier: body.grant_identifier.as_str().to_owned(),
            start_date: body.start_date.naive(),
            end_date: body.end_date.map(Date::naive),
            version: 1,
            created_at: at,
            updated_at: at,
            created_by: by.to_owned(),
            updated_by: by.to_owned(),
        }
    }

    fn apply_patch(row: &mut GrantRow, patch: &UpdateGrant) -> Result<(), ApiError> {
        if let Patch::Value(funder) = patch.funder {
            row.funder = funder.code();
        }
        row.other_funder = patch
            .other_funder
            .clone()
            .apply_with(row.other_funder.take(), Text::into_string);
        if let Patch::Value(identifier) = &patch.grant_identifier {
            row.grant_identifier = identifier.as_str().to_owned();
        }
        if let Patch::Value(start) = patch.start_date {
            row.start_date = start.naive();
        }
        row.end_date = patch
            .end_date
            .clone()
            .apply(row.end_date.map(Date::from))
            .map(Date::naive);
        let end = row.end_date.map(Date::from);
        match GrantFunder::stored(row.funder) {
            Some(GrantFunder::Current(funder)) => ApiError::check_fields(check_grant(
                funder,
                row.other_funder.as_deref(),
                row.start_date.into(),
                end,
            )),
            // An imported grant's retired funding source stays only while the grant ended
            // before FY2026; its dates keep their order.
            Some(GrantFunder::Retired(retired)) => ApiError::check_fields(
                check_retired_funder(retired, end)
                    .into_iter()
                    .chain(check_date_order(
                        "start_date",
                        row.start_date.into(),
                        "end_date",
                        end,
                    ))
                    .collect(),
            ),
            None => Err(ApiError::Internal(format!(
                "grant {} holds funder {}, no funding source",
                row.id, row.funder
            ))),
        }
    }

    fn view(row: &GrantRow) -> Result<GrantView, ApiError> {
        Ok(GrantView {
            id: row.id,
            program_id: row.program_id,
            funder: row.funder,
            other_funder: row.other_funder.clone(),
            grant_identifier: row.grant_identifier.clone(),
            start_date: row.start_date.into(),
            end_date: row.end_date.map(Into::into),
            audit: audit_of(row),
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "funder": 2,
    "grant_identifier": "CA0001L9T001",
    "start_date": "2025-07-01",
    "end_date": "2026-06-30"
}))]
pub struct CreateGrant {
    /// HUD 2.06.1 funding source.
    #[schema(value_type = codes::FundingSource)]
    pub funder: FundingSource,
    /// Required when `funder` is 46 (local or other), and only then.
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100)]
    pub other_funder: Option<Text<100>>,
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    pub grant_identifier: Text<100>,
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub start_date: Date,
    /// `null` = open-ended.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub end_date: Option<Date>,
}

impl CheckBody for CreateGrant {
    fn check(&self) -> Vec<FieldError> {
        check_grant(
            self.funder,
            self.other_funder.as_ref().map(Text::as_str),
            self.start_date,
            self.end_date,
        )
    }
}

/// JSON Merge Patch of a grant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"end_date": "2027-06-30"}))]
pub struct UpdateGrant {
    #[serde(default)]
    #[schema(value_type = codes::FundingSource)]
    pub funder: Patch<FundingSource>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100)]
    pub other_funder: Patch<Text<100>>,
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    pub grant_identifier: Patch<Text<100>>,
    #[serde(default)]
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub start_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub end_date: Patch<Date>,
}

impl CheckBody for UpdateGrant {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("funder", &self.funder, &mut errors);
        required_in_patch("grant_identifier", &self.grant_identifier, &mut errors);
        required_in_patch("start_date", &self.start_date, &mut errors);
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantView {
    #[schema(value_type = Uuid)]
    pub id: GrantId,
    #[schema(value_type = Uuid)]
    pub program_id: ProgramId,
    #[schema(value_type = codes::FundingSource)]
    pub funder: i32,
    pub other_funder: Option<String>,
    pub grant_identifier: String,
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub start_date: Date,
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub end_date: Option<Date>,
    #[serde(flatten)]
    pub audit: Audit,
}
