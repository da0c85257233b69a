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

/// The row of `select` (a query ending with its FROM clause) whose `id_column` is `id`;
/// `NotFound` names `T::TABLE` and the id.
pub async fn find_by_id<T: FromStored>(
    conn: &mut sqlx::AnyConnection,
    select: &str,
    id_column: &str,
    id: i64,
) -> BackendResult<T> {
    let row = sqlx::query(&format!("{select} WHERE {id_column} = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| BackendError::NotFound(format!("{} {id}", T::TABLE)))?;
    T::from_row(&row)
}

/// Sets the `active` flag of the row `id` of `table` (accounts, organisations), with its
/// `updated_at`.
pub async fn set_active(
    conn: &mut sqlx::AnyConnection,
    table: &'static str,
    id: i64,
    active: bool,
) -> BackendResult<()> {
    sqlx::query(&format!(
        "UPDATE {table} SET active = $1, updated_at = $2 WHERE id = $3"
    ))
    .bind(flag(active))
    .bind(now())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
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

    pub fn date(&self, column: &str) -> BackendResult<NaiveDate> {
        self.optional_date(column)?
            .ok_or_else(|| self.error(column, "a date is required"))
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

#[cfg(test)]
mod tests {
    use super::*;
    use domain::organisation::OrganisationKind;

    #[tokio::test]
    async fn undecodable_values_name_their_table_and_column() {
        let db = crate::Db::connect("sqlite::memory:").await.unwrap();
        let row = sqlx::query(
            "SELECT 2 AS active, '2026-11-23 10:00' AS created_at, 'inconnu' AS kind, \
             '2026-02-30' AS entry_date, NULL AS city",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let columns = Columns::new(&row, "organisations");
        let message = |e: BackendError| e.to_string();
        assert_eq!(
            message(columns.flag("active").unwrap_err()),
            "cannot decode organisations.active: flag 2 is neither 0 nor 1"
        );
        assert_eq!(
            message(columns.timestamp("created_at").unwrap_err()),
            "cannot decode organisations.created_at: timestamp \"2026-11-23 10:00\""
        );
        assert_eq!(
            message(columns.code::<OrganisationKind>("kind").unwrap_err()),
            "cannot decode organisations.kind: unknown code \"inconnu\""
        );
        assert!(message(columns.optional_date("entry_date").unwrap_err())
            .starts_with("cannot decode organisations.entry_date: date \"2026-02-30\""));
        assert_eq!(columns.get::<Option<String>>("city").unwrap(), None);
        assert!(message(columns.get::<i64>("absent").unwrap_err())
            .starts_with("cannot decode organisations.absent:"));
    }

    #[test]
    fn stored_forms_are_fixed_width() {
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(timestamp(at), "2026-01-02T03:04:05.000000Z");
        assert_eq!(date(at.date_naive()), "2026-01-02");
        assert_eq!((flag(true), flag(false)), (1, 0));
    }
}
