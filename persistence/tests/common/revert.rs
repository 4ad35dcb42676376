//! What the migration tests share: reverting to the state before a migration.

use threshold_persistence::migrations::revert_last;

/// Reverts the newest migrations, one at a time, down to `version` included.
pub fn revert_through(url: &str, version: &str) {
    loop {
        let reverted = revert_last(url).expect("the newest migration reverts");
        assert!(
            reverted.as_str() >= version,
            "reverted {reverted} without meeting {version}"
        );
        if reverted == version {
            return;
        }
    }
}
