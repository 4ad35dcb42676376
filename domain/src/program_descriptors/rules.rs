//! The rules a program's descriptor records keep against what is stored (409): an inventory
//! counts beds in a CoC the program serves, a CoC stays while an inventory counts in it, and
//! an affiliation ties a services-only program to a residential one.

use crate::codes::ProjectType;
use crate::rules::{Rule, RuleViolation, Violations};

/// HUD 2.07: an inventory's CoC code (Inventory.CoCCode) is one of the program's CoCs
/// (2.03.1, its ProjectCoC records): `inventory.coc_unknown` otherwise.
pub fn check_inventory_coc<'a>(
    coc_code: &str,
    program_cocs: impl IntoIterator<Item = &'a str>,
) -> Result<(), Violations> {
    if program_cocs.into_iter().any(|code| code == coc_code) {
        return Ok(());
    }
    Err(Violations::one(RuleViolation::new(
        Rule::InventoryCocUnknown,
        Some("coc_code"),
        format!("{coc_code} is not one of the program's CoCs"),
    )))
}

/// A CoC record may go (be deleted, or take another code) unless an inventory counts in its
/// code and no other CoC record of the program has that code: `coc.in_use` otherwise.
/// `other_cocs` are the program's other CoC records' codes, `inventory_cocs` the codes its
/// inventories count in.
pub fn check_coc_removal<'a>(
    coc_code: &str,
    other_cocs: impl IntoIterator<Item = &'a str>,
    inventory_cocs: impl IntoIterator<Item = &'a str>,
) -> Result<(), Violations> {
    let in_use = inventory_cocs.into_iter().any(|code| code == coc_code);
    if !in_use || other_cocs.into_iter().any(|code| code == coc_code) {
        return Ok(());
    }
    Err(Violations::one(RuleViolation::new(
        Rule::CocInUse,
        Some("coc_code"),
        format!("an inventory of the program counts beds in {coc_code}"),
    )))
}

/// HUD 2.02.C: a services-only project (2.02.6 project type 6) names the residential
/// projects it serves. The program the affiliation belongs to must be services-only
/// (`affiliation.not_services_only`) and the one it names residential
/// (`affiliation.not_residential`: emergency shelter, transitional housing, safe haven or
/// permanent housing).
pub fn check_affiliation(program: ProjectType, residential: ProjectType) -> Result<(), Violations> {
    let mut broken = Vec::new();
    if !program.is_services_only() {
        broken.push(RuleViolation::new(
            Rule::AffiliationNotServicesOnly,
            None,
            format!(
                "only a services-only program (project type 6) is affiliated; this one is of \
                 type {}",
                program.code()
            ),
        ));
    }
    if !residential.is_residential() {
        broken.push(RuleViolation::new(
            Rule::AffiliationNotResidential,
            Some("res_program_id"),
            format!(
                "res_program_id names a program of project type {}, which is not residential \
                 (0, 1, 2, 3, 8, 9, 10, 13)",
                residential.code()
            ),
        ));
    }
    Violations::check(broken)
}
