//! An archive checked as it arrives, from its central directory alone: whether it is a ZIP,
//! how many entries it holds, where they sit and how large they say they are once
//! uncompressed. None of that needs anything uncompressed, so a body that is no ZIP, a path
//! that climbs out of the archive and a ZIP bomb that declares its size are refused before a
//! job is queued. The reader checks again as it uncompresses, for directories that lie.

use std::io::{Read, Seek};

use super::read::{MAX_ENTRIES, MAX_ENTRY_BYTES};

/// Largest size of all an archive's files together once uncompressed.
pub const MAX_ARCHIVE_BYTES: u64 = 1024 * 1024 * 1024;

/// One thing wrong with an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The entry concerned, if any.
    pub entry: Option<String>,
    /// Stable: `not_zip`, `too_many_entries`, `outside_root` or `too_large`.
    pub code: &'static str,
    pub reason: String,
}

fn problem(entry: Option<&str>, code: &'static str, reason: String) -> Problem {
    Problem {
        entry: entry.map(str::to_owned),
        code,
        reason,
    }
}

/// A name that is not a file at the archive's root: in a folder, absolute, or climbing out.
pub fn outside_root(name: &str) -> bool {
    name.contains('/') || name.contains('\\') || name.contains("..")
}

/// Every problem the directory shows, or none.
pub fn check(source: impl Read + Seek) -> Result<(), Vec<Problem>> {
    let mut zip = zip::ZipArchive::new(source).map_err(|error| {
        vec![problem(
            None,
            "not_zip",
            format!("the body is not a ZIP archive: {error}"),
        )]
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(vec![problem(
            None,
            "too_many_entries",
            format!(
                "the archive holds {} entries; at most {MAX_ENTRIES} are accepted",
                zip.len()
            ),
        )]);
    }
    let mut problems = Vec::new();
    let mut total: u64 = 0;
    for index in 0..zip.len() {
        let entry = match zip.by_index_raw(index) {
            Ok(entry) => entry,
            Err(error) => {
                problems.push(problem(
                    None,
                    "not_zip",
                    format!("entry {index} cannot be read: {error}"),
                ));
                continue;
            }
        };
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if outside_root(&name) {
            problems.push(problem(
                Some(&name),
                "outside_root",
                format!(
                    "the entry `{name}` is not at the root of the archive: files must sit at \
                     the root, with no folder and no `..`"
                ),
            ));
        } else if entry.size() > MAX_ENTRY_BYTES {
            problems.push(problem(
                Some(&name),
                "too_large",
                format!(
                    "the entry is {} bytes uncompressed; at most {MAX_ENTRY_BYTES} are accepted",
                    entry.size()
                ),
            ));
        }
        total = total.saturating_add(entry.size());
    }
    if total > MAX_ARCHIVE_BYTES {
        problems.push(problem(
            None,
            "too_large",
            format!(
                "the archive's files are {total} bytes uncompressed; at most \
                 {MAX_ARCHIVE_BYTES} are accepted"
            ),
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn zip_of(names: &[&str]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for name in names {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(b"PersonalID\r\n").unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn codes(bytes: &[u8]) -> Vec<(Option<String>, &'static str)> {
        check(Cursor::new(bytes))
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|problem| (problem.entry, problem.code))
            .collect()
    }

    #[test]
    fn files_at_the_root_pass() {
        assert_eq!(
            check(Cursor::new(zip_of(&[
                "Export.csv",
                "Client.csv",
                "notes.txt"
            ]))),
            Ok(())
        );
        assert_eq!(check(Cursor::new(zip_of(&[]))), Ok(()));
    }

    #[test]
    fn names_out_of_the_root_are_each_listed() {
        let names = [
            "../Client.csv",
            "/Client.csv",
            "a\\Client.csv",
            "Export.csv",
        ];
        assert_eq!(
            codes(&zip_of(&names)),
            vec![
                (Some("../Client.csv".into()), "outside_root"),
                (Some("/Client.csv".into()), "outside_root"),
                (Some("a\\Client.csv".into()), "outside_root"),
            ]
        );
    }

    #[test]
    fn not_a_zip_and_too_many_entries() {
        assert_eq!(codes(b"PersonalID,FirstName\r\n"), vec![(None, "not_zip")]);
        assert_eq!(codes(b""), vec![(None, "not_zip")]);
        let names: Vec<String> = (0..=MAX_ENTRIES).map(|n| format!("{n}.csv")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(codes(&zip_of(&names)), vec![(None, "too_many_entries")]);
    }
}
