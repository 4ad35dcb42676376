//! What users do, one function each, over the domain's rules and the storage layer: the
//! HTTP handlers, the `threshold` commands, the HMIS import and the seed call these.

pub mod assessments;
pub mod auto_exit;
pub mod follow_ups;
pub mod records;
pub mod visibility;
