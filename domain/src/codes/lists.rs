//! HUD HMIS code lists (FY2026 Data Standards): one type per list, which holds only
//! the list's codes, grouped by the part of the Data Standards that defines the list.
//!
//! Generated from `domain/hud/code-lists.csv` by `python3 scripts/gen-hud-codes.py`:
//! change those, not this file.

mod coc;
mod general;
mod hopwa;
mod path;
mod program;
mod project;
mod rhy;
mod universal;
mod va;

pub use coc::*;
pub use general::*;
pub use hopwa::*;
pub use path::*;
pub use program::*;
pub use project::*;
pub use rhy::*;
pub use universal::*;
pub use va::*;
