use actix_web::{web, HttpResponse};
use serde::Deserialize;
use threshold_domain::Date;
use threshold_persistence::clients::{self, ClientSearch};
use threshold_persistence::rows::ClientRow;
use threshold_persistence::DbConnection;
use utoipa::IntoParams;

use super::ClientView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::Listing;
use crate::http::state::AppState;
use crate::http::v1::common::{query_date, search_words};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchClients {
    /// Words that must all appear in the client's names (case-insensitive).
    pub q: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    #[param(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub dob: Option<String>,
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

pub async fn list_clients(
    state: web::Data<AppState>,
    caller: Caller,
    list: Listing<SearchClients>,
) -> Result<HttpResponse, ApiError> {
    let query = &list.query;
    let dob = query_date("dob", query.dob.as_deref())?;
    let words = search_words(query.q.as_deref())?;
    let search = ClientSearch {
        words,
        dob: dob.map(Date::naive),
    };
    let sight = caller.sight();
    let read = move |conn: &mut DbConnection, after, limit| {
        Ok(clients::search(conn, &sight, &search, after, limit)?)
    };
    let by_id = |row: &ClientRow| row.id;
    list.read_by_id(&state, read, by_id, ClientView::from_row)
        .await
}
