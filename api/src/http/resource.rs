//! What the generic resources share, record resources (`http::records`) and reference
//! resources (`http::reference`) alike: the summaries of their operations, the schemas
//! their documentation names, and the bookkeeping of a row as a view shows it.

use threshold_persistence::rows::Stamped;
use utoipa::openapi::path::{HttpMethod, Operation, PathItem, Paths, PathsBuilder};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::ToSchema;

pub use crate::http::operations::Names;
use crate::http::operations::{add_list_schema, add_schema};
use crate::http::v1::common::Audit;

/// The summaries of a resource's operations, and what differs in their responses. What is
/// not set is said the regular way, from the resource's names (`Get a service.`,
/// `No such service`, ...).
#[derive(Debug, Clone, Copy)]
pub struct Docs {
    pub list: &'static str,
    pub create: &'static str,
    get: Option<&'static str>,
    update: Option<&'static str>,
    delete: Option<&'static str>,
    deleted: Option<&'static str>,
    get_not_found: Option<&'static str>,
    update_not_found: Option<&'static str>,
    conflict: Option<(&'static str, &'static str)>,
    update_conflict: Option<&'static str>,
}

impl Docs {
    /// The summaries of the list and the create; the others are the regular ones.
    pub const fn new(list: &'static str, create: &'static str) -> Docs {
        Docs {
            list,
            create,
            get: None,
            update: None,
            delete: None,
            deleted: None,
            get_not_found: None,
            update_not_found: None,
            conflict: None,
            update_conflict: None,
        }
    }

    /// The rule against stored data that can refuse a create or an update (409): its code,
    /// and why a create breaks it.
    pub const fn conflict(self, rule: &'static str, why: &'static str) -> Docs {
        Docs {
            conflict: Some((rule, why)),
            ..self
        }
    }

    /// The rule against stored data that can refuse an update, and no create (409): its code.
    pub const fn update_conflict(self, rule: &'static str) -> Docs {
        Docs {
            update_conflict: Some(rule),
            ..self
        }
    }

    /// An update's summary other than `Change a {one} (JSON Merge Patch).`
    pub const fn update(self, summary: &'static str) -> Docs {
        Docs {
            update: Some(summary),
            ..self
        }
    }

    /// A delete's summary and its 204 other than `Delete a {one} (soft).` and `Deleted`.
    pub const fn delete(self, summary: &'static str, deleted: &'static str) -> Docs {
        Docs {
            delete: Some(summary),
            deleted: Some(deleted),
            ..self
        }
    }

    /// The 404 of a get and an update other than `No such {one}`.
    pub const fn not_found(self, not_found: &'static str) -> Docs {
        Docs {
            get_not_found: Some(not_found),
            update_not_found: Some(not_found),
            ..self
        }
    }

    /// The 404 of a get alone other than `No such {one}`.
    pub const fn get_not_found(self, not_found: &'static str) -> Docs {
        Docs {
            get_not_found: Some(not_found),
            ..self
        }
    }

    /// Every summary and description, the regular ones made from `names`.
    pub fn said(&self, names: &Names) -> Said {
        let one = names.one;
        // By the sound of the first letter: "an organization", "a user", "a unit".
        let a = if one.starts_with(['a', 'e', 'i', 'o']) {
            "an"
        } else {
            "a"
        };
        let or = |given: Option<&str>, regular: String| given.map_or(regular, str::to_owned);
        Said {
            list: self.list.to_owned(),
            create: self.create.to_owned(),
            get: or(self.get, format!("Get {a} {one}.")),
            update: or(self.update, format!("Change {a} {one} (JSON Merge Patch).")),
            delete: or(self.delete, format!("Delete {a} {one} (soft).")),
            deleted: or(self.deleted, "Deleted".to_owned()),
            get_not_found: or(self.get_not_found, format!("No such {one}")),
            update_not_found: or(self.update_not_found, format!("No such {one}")),
            create_conflict: self.conflict.map(|(rule, why)| format!("`{rule}`: {why}")),
            update_conflict: self
                .update_conflict
                .or(self.conflict.map(|(rule, _)| rule))
                .map(|rule| format!("`{rule}`")),
        }
    }
}

/// The summaries and descriptions of [`Docs`], each as the document says it.
pub struct Said {
    pub list: String,
    pub create: String,
    pub get: String,
    pub update: String,
    pub delete: String,
    /// The 204 of a delete.
    pub deleted: String,
    pub get_not_found: String,
    pub update_not_found: String,
    /// The 409 of a create, if a rule against stored data can refuse one.
    pub create_conflict: Option<String>,
    /// The 409 of an update, likewise.
    pub update_conflict: Option<String>,
}

/// The paths of a resource's operations, each at its path with its method.
pub fn paths<'a>(operations: impl IntoIterator<Item = (&'a str, HttpMethod, Operation)>) -> Paths {
    operations
        .into_iter()
        .fold(PathsBuilder::new(), |paths, (path, method, operation)| {
            paths.path(path, PathItem::new(method, operation))
        })
        .build()
}

/// The schemas the operations of a resource name (its bodies, its view and the list
/// envelope of views), and those they name in turn.
pub fn schemas<Create: ToSchema, Update: ToSchema, View: ToSchema>(
    schemas: &mut Vec<(String, RefOr<Schema>)>,
) {
    add_schema::<Create>(schemas);
    add_schema::<Update>(schemas);
    add_schema::<View>(schemas);
    add_list_schema(schemas, &View::name());
}

/// The bookkeeping of a row as its view shows it.
pub fn audit_of(row: &impl Stamped) -> Audit {
    let stamps = row.stamps();
    Audit::new(
        stamps.version,
        stamps.created_at,
        stamps.updated_at,
        stamps.created_by,
        stamps.updated_by,
    )
}
