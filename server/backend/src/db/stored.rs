//! The stored form of values, in one place. Both engines see the same column types through
//! `sqlx::Any`: timestamps are fixed-width UTC text (`domain::time::STORED_FORMAT`, sortable as
//! text), dates `YYYY-MM-DD`, flags 0/1 integers, codes their `code()` text. Reading a row goes
//! through [`Columns`], so that a value that cannot be decoded is an error naming its table and
//! column, never a silent `None`.

use crate::error::{BackendError, BackendResult};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::{Any, Decode, Row, Type};
use std::str::FromStr;

pub fn timestamp(at: DateTime<Utc>) -> String {
    domain::time::to_stored(at)
}

pub fn now() -> String {
    timestamp(Utc::now())
}

pub fn flag(value: bool) -> i64 {
    i64::from(value)
}

pub fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

pub fn optional_date(day: Option<NaiveDate>) -> Option<String> {
    day.map(date)
}

/// A type read from a row of one table (or of a query named after its main table).
pub trait FromStored: Sized {
    const TABLE: &'static str;

    fn from_stored(columns: &Columns<'_>) -> BackendResult<Self>;

    fn from_row(row: &AnyRow) -> BackendResult<Self> {
        Self::from_stored(&Columns::new(row, Self::TABLE))
    }

    fn from_rows(rows: &[AnyRow]) -> BackendResult<Vec<Self>> {
        rows.iter().map(Self::from_row).collect()
    }
}

/// The columns of one row, decoded with their table's name for errors.
pub struct Columns<'r> {
    row: &'r AnyRow,
    table: &'static str,
}

impl<'r> Columns<'r> {
    pub fn new(row: &'r AnyRow, table: &'static str) -> Self {
        Self { row, table }
    }

    fn error(&self, column: &str, detail: impl std::fmt::Display) -> BackendError {
        BackendError::Decode {
            table: self.table,
            column: column.to_string(),
            detail: detail.to_string(),
        }
    }

    pub fn get<T>(&self, column: &str) -> BackendResult<T>
    where
        T: for<'a> Decode<'a, Any> + Type<Any>,
    {
        self.row.try_get(column).map_err(|e| self.error(column, e))
    }

    pub fn flag(&self, column: &str) -> BackendResult<bool> {
        match self.get::<i64>(column)? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(self.error(column, format!("flag {other} is neither 0 nor 1"))),
        }
    }

    pub fn timestamp(&self, column: &str) -> BackendResult<DateTime<Utc>> {
        let text: String = self.get(column)?;
        domain::time::from_stored(&text)
            .ok_or_else(|| self.error(column, format!("timestamp {text:?}")))
    }

    pub fn optional_timestamp(&self, column: &str) -> BackendResult<Option<DateTime<Utc>>> {
        match self.get::<Option<String>>(column)? {
            None => Ok(None),
            Some(text) => domain::time::from_stored(&text)
                .map(Some)
                .ok_or_else(|| self.error(column, format!("timestamp {text:?}"))),
        }
    }

    pub fn optional_date(&self, column: &str) -> BackendResult<Option<NaiveDate>> {
        match self.get::<Option<String>>(column)? {
            None => Ok(None),
            Some(text) => NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map(Some)
                .map_err(|e| self.error(column, format!("date {text:?}: {e}"))),
        }
    }

    /// A value stored by its code (`OrganisationKind`, `Role`, `Status`, …).
    pub fn code<T: FromStr>(&self, column: &str) -> BackendResult<T> {
        let text: String = self.get(column)?;
        text.parse()
            .map_err(|_| self.error(column, format!("unknown code {text:?}")))
    }

    pub fn optional_code<T: FromStr>(&self, column: &str) -> BackendResult<Option<T>> {
        match self.get::<Option<String>>(column)? {
            None => Ok(None),
            Some(text) => text
                .parse()
                .map(Some)
                .map_err(|_| self.error(column, format!("unknown code {text:?}"))),
        }
    }

    /// A JSON document stored as text.
    pub fn json<T: serde::de::DeserializeOwned>(&self, column: &str) -> BackendResult<T> {
        let text: String = self.get(column)?;
        serde_json::from_str(&text).map_err(|e| self.error(column, e))
    }
}
