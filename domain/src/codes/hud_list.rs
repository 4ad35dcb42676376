//! Which HUD list, as a value: for data that refers to a list without holding one of its
//! codes (the HMIS CSV column catalog says which list each integer column takes).

use std::fmt;

use super::{HudList, UnknownCode};

/// Defines `HudList` with one variant per list type, named as the type is; the generated
/// `lists.rs` names every type once.
macro_rules! list_index {
    ($($ty:ident),* $(,)?) => {
        /// One of HUD's code lists, named as its type is: `HudList::Destination` is the list
        /// of [`Destination`]'s codes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum HudList {
            $(
                #[doc = concat!("The list of [`", stringify!($ty), "`].")]
                $ty,
            )*
        }

        impl HudList {
            /// Every list, in the order of the Data Standards' parts and numbers.
            pub const ALL: &'static [HudList] = &[$(HudList::$ty),*];

            /// Its name in the Data Standards, with its number (`3.12 Destination`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(HudList::$ty => <$ty as $crate::codes::CodeList>::NAME,)*
                }
            }

            /// Its codes with their labels, in HUD's order.
            pub const fn codes(self) -> &'static [(i32, &'static str)] {
                match self {
                    $(HudList::$ty => <$ty as $crate::codes::CodeList>::CODES,)*
                }
            }

            /// The label of `code` as the list's type reads it, `None` when the type refuses
            /// the number: for tests that check each type, not only its table.
            #[cfg(test)]
            pub(crate) fn label_through_type(self, code: i64) -> Option<&'static str> {
                match self {
                    $(HudList::$ty => $ty::try_from(code).ok().map($ty::label),)*
                }
            }
        }
    };
}

pub(crate) use list_index;

impl HudList {
    /// Whether `code` is one of the list's codes.
    pub fn is_valid(self, code: i32) -> bool {
        self.label(code).is_some()
    }

    /// The label the Data Standards give `code` in this list, if it is one of its codes.
    pub fn label(self, code: i32) -> Option<&'static str> {
        self.codes()
            .iter()
            .find(|(known, _)| *known == code)
            .map(|(_, label)| *label)
    }

    /// `code` when it is one of the list's codes, else the error that names the list: for a
    /// number read from a file or a request, which may not even fit an `i32`.
    pub fn check(self, code: i64) -> Result<i32, UnknownCode> {
        i32::try_from(code)
            .ok()
            .filter(|small| self.is_valid(*small))
            .ok_or(UnknownCode {
                list: self.name(),
                code,
            })
    }
}

impl fmt::Display for HudList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
