//! Values kept in a TEXT column on both backends, parsed (and checked) again when read: a
//! record's HUD fields, its collection, an enrollment's flags.

/// Stores a type as TEXT on both backends, through its [`StoredText`]: what it reads back is
/// parsed again, so a row never holds a value its type refuses.
macro_rules! stored_as_text {
    ([$($generics:tt)*] $type:ty) => {
        impl<$($generics)*> diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg>
            for $type
        {
            fn from_sql(
                bytes: <diesel::pg::Pg as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                let text = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    diesel::pg::Pg,
                >>::from_sql(bytes)?;
                Ok(<$type as $crate::rows::stored_text::StoredText>::from_text(&text)?)
            }
        }

        impl<$($generics)*>
            diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::sqlite::Sqlite>
            for $type
        {
            fn from_sql(
                bytes: <diesel::sqlite::Sqlite as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                let text = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    diesel::sqlite::Sqlite,
                >>::from_sql(bytes)?;
                Ok(<$type as $crate::rows::stored_text::StoredText>::from_text(&text)?)
            }
        }

        impl<$($generics)*>
            diesel::deserialize::FromSql<diesel::sql_types::Text, $crate::db::MultiBackend>
            for $type
        {
            fn from_sql(
                bytes: <$crate::db::MultiBackend as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                bytes.from_sql::<Self, diesel::sql_types::Text>()
            }
        }

        impl<$($generics)*> diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>
            for $type
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                use std::io::Write;
                out.write_all(<$type as $crate::rows::stored_text::StoredText>::to_text(self).as_bytes())?;
                Ok(diesel::serialize::IsNull::No)
            }
        }

        impl<$($generics)*>
            diesel::serialize::ToSql<diesel::sql_types::Text, diesel::sqlite::Sqlite> for $type
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::sqlite::Sqlite>,
            ) -> diesel::serialize::Result {
                out.set_value(<$type as $crate::rows::stored_text::StoredText>::to_text(self));
                Ok(diesel::serialize::IsNull::No)
            }
        }

        impl<$($generics)*>
            diesel::serialize::ToSql<diesel::sql_types::Text, $crate::db::MultiBackend>
            for $type
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, $crate::db::MultiBackend>,
            ) -> diesel::serialize::Result {
                out.set_value((diesel::sql_types::Text, self));
                Ok(diesel::serialize::IsNull::No)
            }
        }
    };
}

/// A value kept in a TEXT column: written as text, parsed back (and checked) when read.
pub(crate) trait StoredText: Sized {
    type Refused: std::error::Error + Send + Sync + 'static;

    fn to_text(&self) -> String;
    fn from_text(text: &str) -> Result<Self, Self::Refused>;
}
