//! Instance settings kept in the database, so that every server process of an installation shares them.

use crate::db::Db;
use base64::Engine as _;
use rand::RngCore;
use sqlx::Row;

const SESSION_SECRET_KEY: &str = "session_secret";
/// Set by `cedre demo` when it loads the demo federation: the published demo password is
/// accepted only in such a database (see `backend::demo::disable_published_passwords`).
const DEMO_KEY: &str = "demo";

/// Whether `cedre demo` loaded this database (a demonstration installation).
pub async fn is_demo(db: &Db) -> Result<bool, sqlx::Error> {
    let row =
        sqlx::query("SELECT COUNT(*) AS n FROM instance_settings WHERE key = $1 AND value = '1'")
            .bind(DEMO_KEY)
            .fetch_one(&db.pool)
            .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// Marks the database as a demonstration, inside the change that loads the demo data.
pub(crate) async fn mark_demo(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO instance_settings (key, value) VALUES ($1, '1') \
         ON CONFLICT (key) DO UPDATE SET value = '1'",
    )
    .bind(DEMO_KEY)
    .execute(conn)
    .await?;
    Ok(())
}

/// The secret that keys session token hashes and signs flash cookies: `configured` when given,
/// otherwise the one stored on first run (generated then).
pub async fn session_secret(db: &Db, configured: Option<&str>) -> Result<Vec<u8>, sqlx::Error> {
    if let Some(secret) = configured.filter(|s| !s.is_empty()) {
        return Ok(secret.as_bytes().to_vec());
    }
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let fresh = base64::engine::general_purpose::STANDARD.encode(bytes);
    // Two processes starting together both insert; the first one wins and both read it back.
    sqlx::query(
        "INSERT INTO instance_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
    )
    .bind(SESSION_SECRET_KEY)
    .bind(&fresh)
    .execute(&db.pool)
    .await?;
    let row = sqlx::query("SELECT value FROM instance_settings WHERE key = $1")
        .bind(SESSION_SECRET_KEY)
        .fetch_one(&db.pool)
        .await?;
    let stored: String = row.try_get("value")?;
    Ok(stored.into_bytes())
}
