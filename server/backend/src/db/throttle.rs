//! Queries of `login_failures`: one row per failed login and scope (account, address).

use super::stored::{self, Columns};
use crate::error::BackendResult;
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AnyPool};

pub async fn count_since(pool: &AnyPool, scope: &str, since: DateTime<Utc>) -> BackendResult<i64> {
    let row =
        sqlx::query("SELECT COUNT(*) AS n FROM login_failures WHERE scope = $1 AND failed_at > $2")
            .bind(scope)
            .bind(stored::timestamp(since))
            .fetch_one(pool)
            .await?;
    Columns::new(&row, "login_failures").get("n")
}

pub async fn insert(conn: &mut AnyConnection, scope: &str) -> BackendResult<()> {
    sqlx::query("INSERT INTO login_failures (scope, failed_at) VALUES ($1, $2)")
        .bind(scope)
        .bind(stored::now())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_before(conn: &mut AnyConnection, before: DateTime<Utc>) -> BackendResult<()> {
    sqlx::query("DELETE FROM login_failures WHERE failed_at < $1")
        .bind(stored::timestamp(before))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_scope(conn: &mut AnyConnection, scope: &str) -> BackendResult<()> {
    sqlx::query("DELETE FROM login_failures WHERE scope = $1")
        .bind(scope)
        .execute(conn)
        .await?;
    Ok(())
}
