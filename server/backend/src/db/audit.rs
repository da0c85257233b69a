//! The audit trail's table: append-only (the migrations refuse UPDATE, DELETE, TRUNCATE and an
//! INSERT that would replace a row) and chained. An entry stores its typed event as JSON with the
//! event's code, subject and organisation beside it for filtering, `previous_hash` (the
//! `entry_hash` of the entry before it) and `entry_hash` (see [`entry_hash`]). Changing an entry
//! breaks its hash, removing one breaks the link of the next: [`verify`] names the first.

use super::stored::{self, Columns, FromStored};
use super::{Author, Db, Engine};
use crate::error::{BackendError, BackendResult};
use domain::audit::{AuditEntry, AuditEvent, AuditFilter, ChainBreak, ChainReport, EntryRef};
use sqlx::{AnyConnection, AnyPool};

pub const PAGE_SIZE: i64 = 50;

/// The `previous_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The PostgreSQL advisory lock that audit inserts take in turn, held until their transaction
/// ends, so that each reads the hash of the entry committed just before it (the bytes of
/// `cedre_jl`). SQLite's write transaction already excludes every other writer.
const CHAIN_LOCK: i64 = 0x6365_6472_655f_6a6c;

/// Entries read at a time when walking the chain.
const BATCH: i64 = 1000;

/// The stored columns of an entry that its hash covers.
pub struct Content<'a> {
    pub occurred_at: &'a str,
    pub actor_account_id: Option<i64>,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub summary: &'a str,
    pub changes: &'a str,
}

/// SHA-256, in lower-case hex, of the JSON array `["cedre.audit_events.v1", occurred_at,
/// actor_account_id, actor_name, action, entity_type, entity_id, organisation_id, summary,
/// changes, previous_hash]`: every stored column as stored, absent values `null`, but `id`
/// (given by the insert, after the hash is computed; the chain fixes the order anyway) and the
/// hash itself. serde_json writes such an array one way only (no spaces, integers in decimal,
/// strings escaped the minimal way), which makes it the canonical form.
pub fn entry_hash(content: &Content<'_>, previous_hash: &str) -> String {
    let canonical = serde_json::json!([
        "cedre.audit_events.v1",
        content.occurred_at,
        content.actor_account_id,
        content.actor_name,
        content.action,
        content.entity_type,
        content.entity_id,
        content.organisation_id,
        content.summary,
        content.changes,
        previous_hash,
    ]);
    crate::digest::sha256_hex(canonical.to_string().as_bytes())
}

/// An entry as stored, with its links.
struct StoredEntry {
    id: i64,
    occurred_at: String,
    actor_account_id: Option<i64>,
    actor_name: String,
    action: String,
    entity_type: String,
    entity_id: Option<i64>,
    organisation_id: Option<i64>,
    summary: String,
    changes: String,
    previous_hash: Option<String>,
    entry_hash: Option<String>,
}

const STORED_COLUMNS: &str = "id, occurred_at, actor_account_id, actor_name, action, entity_type, \
     entity_id, organisation_id, summary, changes, previous_hash, entry_hash";

impl FromStored for StoredEntry {
    const TABLE: &'static str = "audit_events";

    fn from_stored(c: &Columns<'_>) -> BackendResult<Self> {
        Ok(Self {
            id: c.get("id")?,
            occurred_at: c.get("occurred_at")?,
            actor_account_id: c.get("actor_account_id")?,
            actor_name: c.get("actor_name")?,
            action: c.get("action")?,
            entity_type: c.get("entity_type")?,
            entity_id: c.get("entity_id")?,
            organisation_id: c.get("organisation_id")?,
            summary: c.get("summary")?,
            changes: c.get("changes")?,
            previous_hash: c.get("previous_hash")?,
            entry_hash: c.get("entry_hash")?,
        })
    }
}

impl StoredEntry {
    fn content(&self) -> Content<'_> {
        Content {
            occurred_at: &self.occurred_at,
            actor_account_id: self.actor_account_id,
            actor_name: &self.actor_name,
            action: &self.action,
            entity_type: &self.entity_type,
            entity_id: self.entity_id,
            organisation_id: self.organisation_id,
            summary: &self.summary,
            changes: &self.changes,
        }
    }

    fn named(&self) -> EntryRef {
        EntryRef {
            id: self.id,
            occurred_at: self.occurred_at.clone(),
        }
    }
}

/// Takes the chain's turn (PostgreSQL, until the transaction ends).
async fn lock_chain(conn: &mut AnyConnection, engine: Engine) -> BackendResult<()> {
    if engine == Engine::Postgres {
        sqlx::query("SELECT 1 FROM pg_advisory_xact_lock($1)")
            .bind(CHAIN_LOCK)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Appends the events of a change to the trail, chained, in their order. Called by
/// [`super::UnitOfWork`] just before it commits: the chain's lock is then held only for these
/// inserts and the commit, and never while waiting for a row lock.
pub async fn insert(
    conn: &mut AnyConnection,
    engine: Engine,
    author: &Author,
    events: &[AuditEvent],
) -> BackendResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    lock_chain(conn, engine).await?;
    let last: Option<Option<String>> =
        sqlx::query_scalar("SELECT entry_hash FROM audit_events ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    let mut previous =
        match last {
            None => GENESIS.to_string(),
            Some(Some(hash)) => hash,
            Some(None) => return Err(BackendError::Internal(
                "the last audit entry has no hash: the trail was not chained (run `cedre migrate`)"
                    .into(),
            )),
        };
    for event in events {
        let (entity_type, entity_id) = event.subject();
        let changes = serde_json::to_string(event)
            .map_err(|e| BackendError::Internal(format!("audit event to JSON: {e}")))?;
        let occurred_at = stored::now();
        let summary = event.describe();
        let content = Content {
            occurred_at: &occurred_at,
            actor_account_id: author.account_id,
            actor_name: &author.name,
            action: event.code(),
            entity_type,
            entity_id: Some(entity_id),
            organisation_id: event.organisation_id(),
            summary: &summary,
            changes: &changes,
        };
        let hash = entry_hash(&content, &previous);
        sqlx::query(
            "INSERT INTO audit_events (occurred_at, actor_account_id, actor_name, action, entity_type, \
             entity_id, organisation_id, summary, changes, previous_hash, entry_hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(content.occurred_at)
        .bind(content.actor_account_id)
        .bind(content.actor_name)
        .bind(content.action)
        .bind(content.entity_type)
        .bind(content.entity_id)
        .bind(content.organisation_id)
        .bind(content.summary)
        .bind(content.changes)
        .bind(&previous)
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
        previous = hash;
    }
    Ok(())
}

/// The entries written before the trail was chained (migration 0004) that still wait for their
/// hashes: all the entries without hashes while no entry has any, none afterwards (an entry
/// without hashes after that was written behind the application's back; [`verify`] reports it).
pub async fn unchained_count(pool: &AnyPool) -> BackendResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE entry_hash IS NULL \
         AND NOT EXISTS (SELECT 1 FROM audit_events WHERE entry_hash IS NOT NULL)",
    )
    .fetch_one(pool)
    .await?)
}

/// Gives the entries written before the trail was chained their hashes, in id order, in one
/// transaction; the migration's triggers let exactly this UPDATE through, once per entry.
/// Returns how many were chained. Part of [`Db::migrate`].
pub async fn chain_earlier_entries(db: &Db) -> BackendResult<i64> {
    if unchained_count(&db.pool).await? == 0 {
        return Ok(0);
    }
    let mut tx = db.begin_write().await?;
    lock_chain(&mut tx, db.engine).await?;
    let already: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE entry_hash IS NOT NULL")
            .fetch_one(&mut *tx)
            .await?;
    if already > 0 {
        return Ok(0);
    }
    let (mut previous, mut after, mut chained) = (GENESIS.to_string(), i64::MIN, 0);
    loop {
        let rows = sqlx::query(&format!(
            "SELECT {STORED_COLUMNS} FROM audit_events WHERE id > $1 ORDER BY id LIMIT {BATCH}"
        ))
        .bind(after)
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            break;
        }
        for entry in StoredEntry::from_rows(&rows)? {
            let hash = entry_hash(&entry.content(), &previous);
            sqlx::query(
                "UPDATE audit_events SET previous_hash = $1, entry_hash = $2 \
                 WHERE id = $3 AND entry_hash IS NULL",
            )
            .bind(&previous)
            .bind(&hash)
            .bind(entry.id)
            .execute(&mut *tx)
            .await?;
            (previous, after, chained) = (hash, entry.id, chained + 1);
        }
    }
    tx.commit().await?;
    tracing::info!(
        chained,
        "audit entries written before the chain got their hashes"
    );
    Ok(chained)
}

/// Walks the chain from the first entry: each entry must give its stored hash and follow the
/// entry before it. Stops at the first break. On SQLite, entries removed at the end are seen too:
/// the AUTOINCREMENT counter, which a rolled-back insert does not move, names the last entry ever
/// written (PostgreSQL's sequences move on rollback, so the end of the chain is proved there only by
/// comparing the last hash with one kept elsewhere).
pub async fn verify(db: &Db) -> BackendResult<ChainReport> {
    // Read first: entries written during the walk can only come after it.
    let counter: Option<i64> = match db.engine {
        Engine::Sqlite => {
            sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'")
                .fetch_optional(&db.pool)
                .await?
        }
        Engine::Postgres => None,
    };
    let mut report = ChainReport::default();
    let mut after = i64::MIN;
    loop {
        let rows = sqlx::query(&format!(
            "SELECT {STORED_COLUMNS} FROM audit_events WHERE id > $1 ORDER BY id LIMIT {BATCH}"
        ))
        .bind(after)
        .fetch_all(&db.pool)
        .await?;
        if rows.is_empty() {
            break;
        }
        for entry in StoredEntry::from_rows(&rows)? {
            after = entry.id;
            let here = entry.named();
            let (Some(previous_hash), Some(hash)) = (&entry.previous_hash, &entry.entry_hash)
            else {
                report.broken = Some(ChainBreak::Unchained(here));
                return Ok(report);
            };
            if entry_hash(&entry.content(), previous_hash) != *hash {
                report.broken = Some(ChainBreak::Altered(here));
                return Ok(report);
            }
            let expected = report.last.as_ref().map_or(GENESIS, |(_, h)| h.as_str());
            if previous_hash != expected {
                report.broken = Some(ChainBreak::Unlinked {
                    entry: here,
                    after: report.last.take().map(|(entry, _)| entry),
                });
                return Ok(report);
            }
            report.entries += 1;
            report.first.get_or_insert_with(|| here.clone());
            report.last = Some((here, hash.clone()));
        }
    }
    if let Some(counter) = counter {
        if counter > report.last.as_ref().map_or(0, |(entry, _)| entry.id) {
            report.broken = Some(ChainBreak::TailRemoved {
                last: report.last.as_ref().map(|(entry, _)| entry.clone()),
                counter,
            });
        }
    }
    Ok(report)
}

impl FromStored for AuditEntry {
    const TABLE: &'static str = "audit_events";

    fn from_stored(c: &Columns<'_>) -> BackendResult<Self> {
        let changes: String = c.get("changes")?;
        // The wording comes from the typed event; entries written before events were typed
        // keep the sentence stored with them.
        let summary = match serde_json::from_str::<AuditEvent>(&changes) {
            Ok(event) => event.describe(),
            Err(_) => c.get("summary")?,
        };
        Ok(Self {
            id: c.get("id")?,
            occurred_at: c.timestamp("occurred_at")?,
            actor_name: c.get("actor_name")?,
            action: c.get("action")?,
            entity_type: c.get("entity_type")?,
            entity_id: c.get("entity_id")?,
            organisation_id: c.get("organisation_id")?,
            summary,
            changes,
        })
    }
}

/// One page of the trail, newest first, and whether a next page exists.
pub async fn page(pool: &AnyPool, filter: &AuditFilter) -> BackendResult<(Vec<AuditEntry>, bool)> {
    let mut sql = String::from(
        "SELECT id, occurred_at, actor_name, action, entity_type, entity_id, organisation_id, summary, changes \
         FROM audit_events WHERE 1 = 1",
    );
    let mut binds: Vec<String> = Vec::new();
    let mut push = |sql: &mut String, clause: &str, value: String| {
        binds.push(value);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
    };
    if let Some(t) = filter.entity_type.as_deref().filter(|t| !t.is_empty()) {
        push(&mut sql, " AND entity_type = ?", t.to_string());
    }
    if let Some(a) = filter.actor.as_deref().filter(|a| !a.trim().is_empty()) {
        push(
            &mut sql,
            " AND lower(actor_name) LIKE ?",
            format!("%{}%", a.trim().to_lowercase()),
        );
    }
    if let Some(o) = filter.organisation_id {
        push(
            &mut sql,
            " AND organisation_id = CAST(? AS BIGINT)",
            o.to_string(),
        );
    }
    if let Some(from) = filter.from.as_deref().filter(|d| !d.is_empty()) {
        push(&mut sql, " AND occurred_at >= ?", from.to_string());
    }
    if let Some(to) = filter.to.as_deref().filter(|d| !d.is_empty()) {
        // The day is inclusive: everything before the next day's first instant.
        push(&mut sql, " AND occurred_at < ?", format!("{to}T99"));
    }
    sql.push_str(&format!(
        " ORDER BY id DESC LIMIT {} OFFSET {}",
        PAGE_SIZE + 1,
        filter.page.max(0) * PAGE_SIZE
    ));
    let mut query = sqlx::query(&sql);
    for b in &binds {
        query = query.bind(b);
    }
    let rows = query.fetch_all(pool).await?;
    let has_more = rows.len() as i64 > PAGE_SIZE;
    let entries = AuditEntry::from_rows(&rows[..rows.len().min(PAGE_SIZE as usize)])?;
    Ok((entries, has_more))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content<'a>(summary: &'a str, organisation_id: Option<i64>) -> Content<'a> {
        Content {
            occurred_at: "2026-01-02T03:04:05.000000Z",
            actor_account_id: Some(7),
            actor_name: "Camille Rousseau",
            action: "compte.modification",
            entity_type: "compte",
            entity_id: Some(12),
            organisation_id,
            summary,
            changes: r#"{"evenement":"x"}"#,
        }
    }

    /// The canonical form is part of the stored data: a change to it would fail every chain
    /// written before. The expected hash was computed apart, with Python's
    /// `hashlib.sha256(json.dumps([...], separators=(",", ":"), ensure_ascii=False).encode())`.
    #[test]
    fn the_canonical_form_is_fixed() {
        let summary = "Modification du compte de « Pierre »";
        assert_eq!(
            entry_hash(&content(summary, None), GENESIS),
            "8b886e2b31719d94dcae28b06292ed4ecb7f6f345fe9b86394f497f71a6cebb2"
        );
    }

    #[test]
    fn every_column_and_the_previous_hash_count() {
        let summary = "Modification du compte de « Pierre »";
        let base = entry_hash(&content(summary, None), GENESIS);
        assert_ne!(entry_hash(&content("autre", None), GENESIS), base);
        assert_ne!(entry_hash(&content(summary, Some(0)), GENESIS), base);
        assert_ne!(entry_hash(&content(summary, None), &"1".repeat(64)), base);
        assert_eq!(base.len(), 64);
        assert!(base
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }
}
