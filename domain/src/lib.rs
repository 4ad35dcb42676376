//! Threshold's domain: the enrollment rules, households, dates and HUD codes as types.
//!
//! Pure: no IO, no database, no web framework. Everything here is a value or a function
//! over values, so every rule is unit-tested with its edge dates.

pub mod applicability;
pub mod client;
pub mod codes;
pub mod consent;
pub mod dates;
pub mod enrollment;
pub mod flags;
pub mod hmis_csv;
pub mod household;
pub mod hud_fields;
pub mod hud_records;
pub mod lifecycle;
pub mod matching;
pub mod money;
pub mod privacy;
pub mod program;
pub mod program_descriptors;
pub mod records;
pub mod reports;
pub mod roster;
pub mod rules;
pub mod webhooks;

pub use dates::{Date, DateRange, Period};
pub use rules::{FieldError, Rule, RuleViolation, Violations};
