//! A request body read into a JSON value the way `serde_json::Value` reads it, noting what
//! `Value` would let through silently: a key given twice (the last one would win, while
//! another parser might keep the first) and NUL characters, which PostgreSQL cannot store in
//! text and which no field of this API means.

use std::collections::BTreeSet;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use threshold_domain::FieldError;

/// The body as a value, and every duplicate key and NUL found in it (with its JSON path,
/// `follow_ups[0].reason`). Malformed JSON is an error, as with `serde_json::from_slice`.
pub fn parse(bytes: &[u8]) -> Result<(Value, Vec<FieldError>), serde_json::Error> {
    let mut problems = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = Checked {
        path: String::new(),
        problems: &mut problems,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok((value, problems))
}

/// The largest integer an `f64` holds exactly (2^53).
const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

struct Checked<'a> {
    path: String,
    problems: &'a mut Vec<FieldError>,
}

impl Checked<'_> {
    fn child(&mut self, step: &str) -> Checked<'_> {
        let path = match (self.path.is_empty(), step.starts_with('[')) {
            (true, _) | (false, true) => format!("{}{step}", self.path),
            (false, false) => format!("{}.{step}", self.path),
        };
        Checked {
            path,
            problems: &mut *self.problems,
        }
    }

    fn check_text(&mut self, text: &str, field: &str) {
        if text.contains('\0') {
            self.problems.push(FieldError::new(
                field,
                "invalid",
                format!("`{field}` holds a NUL character (\\u0000)"),
            ));
        }
    }
}

impl<'de> DeserializeSeed<'de> for Checked<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        // JSON Schema counts a number with a zero fraction as an integer (`5.0` is valid for
        // `type: integer`), and every integer field of the spec is one: read it as the
        // integer it is. A number field reads an integer as well as a float.
        if value.fract() == 0.0 && value.abs() <= MAX_EXACT_INTEGER {
            #[allow(clippy::cast_possible_truncation)]
            return Ok(Value::Number((value as i64).into()));
        }
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(mut self, value: &str) -> Result<Value, E> {
        let path = self.path.clone();
        self.check_text(value, &path);
        Ok(Value::String(value.to_owned()))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.child(&format!("[{}]", items.len())))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        let mut reported = BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let mut child = self.child(&key);
            let path = child.path.clone();
            child.check_text(&key, &path);
            let value = map.next_value_seed(child)?;
            if object.contains_key(&key) {
                if reported.insert(key.clone()) {
                    self.problems.push(FieldError::new(
                        path,
                        "duplicate_field",
                        format!("`{key}` is given more than once"),
                    ));
                }
            } else {
                object.insert(key, value);
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(String, &'static str)> {
        let (_, problems) = parse(text.as_bytes()).unwrap();
        problems
            .into_iter()
            .map(|problem| (problem.field, problem.code))
            .collect()
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let text = r#"{"a": [1, -2, 3.5, true, null, "x", {"b": {}}], "c": 18446744073709551615}"#;
        let (value, found) = parse(text.as_bytes()).unwrap();
        assert_eq!(value, serde_json::from_str::<Value>(text).unwrap());
        assert!(found.is_empty());
        assert!(parse(b"{\"a\": 1} x").is_err());
        assert!(parse(b"{\"a\": ").is_err());
    }

    #[test]
    fn notes_duplicate_keys_at_any_depth_once() {
        assert_eq!(
            problems(r#"{"name": "a", "name": "b", "name": "c", "list": [{"x": 1, "x": 2}]}"#),
            vec![
                ("name".to_owned(), "duplicate_field"),
                ("list[0].x".to_owned(), "duplicate_field"),
            ]
        );
        let (value, _) = parse(br#"{"name": "first", "name": "second"}"#).unwrap();
        assert_eq!(value["name"], "first");
    }

    #[test]
    fn notes_nul_in_values_and_keys() {
        assert_eq!(
            problems(r#"{"name": "Jo\u0000", "answers": [{"question": "a", "q\u0000": "b"}]}"#),
            vec![
                ("name".to_owned(), "invalid"),
                ("answers[0].q\0".to_owned(), "invalid"),
            ]
        );
        assert_eq!(
            problems(r#"["\u0000"]"#),
            vec![("[0]".to_owned(), "invalid")]
        );
    }

    #[test]
    fn reads_a_number_with_a_zero_fraction_as_an_integer() {
        let (value, _) =
            parse(br#"{"a": 5.0, "b": -3e2, "c": 2.5, "d": 1e300, "e": 0.0}"#).unwrap();
        assert_eq!(value["a"].as_i64(), Some(5));
        assert_eq!(value["b"].as_i64(), Some(-300));
        assert_eq!(value["c"].as_f64(), Some(2.5));
        assert_eq!(value["c"].as_i64(), None);
        // Beyond what a float holds exactly it stays a float (and no integer field takes it).
        assert_eq!(value["d"].as_i64(), None);
        assert_eq!(value["e"].as_i64(), Some(0));
        // An integer field reads it, a HUD code too (2.02.6 project type 3).
        assert_eq!(
            serde_json::from_value::<i32>(value["a"].clone()).unwrap(),
            5
        );
        let (value, _) = parse(br#"{"project_type": 3.0}"#).unwrap();
        let code: threshold_domain::codes::ProjectType =
            serde_json::from_value(value["project_type"].clone()).unwrap();
        assert_eq!(code.code(), 3);
    }
}
