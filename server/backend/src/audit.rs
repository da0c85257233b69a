//! The audit trail: every change to data writes one entry, in the transaction of the change.
//! The table is append-only; the database refuses UPDATE and DELETE (see the migrations).

use crate::db::{now, Db};
use crate::error::BackendResult;
use crate::identity::Identity;
pub use domain::audit::AuditEvent as Event;
use domain::policy::{Action, Target};
use serde::Serialize;
use serde_json::Value;
use sqlx::{AnyConnection, Row};

/// Who made a change: an account, or the command line for `cedre demo` and `cedre admin`.
#[derive(Clone, Debug)]
pub struct Author {
    pub account_id: Option<i64>,
    pub name: String,
}

impl Author {
    pub fn command_line(what: &str) -> Self {
        Self {
            account_id: None,
            name: format!("ligne de commande ({what})"),
        }
    }
}

impl From<&Identity> for Author {
    fn from(identity: &Identity) -> Self {
        Self {
            account_id: Some(identity.account_id),
            name: identity.display_name.clone(),
        }
    }
}

pub struct Entry {
    /// A verb such as `organisation.creation`.
    pub action: &'static str,
    pub entity_type: &'static str,
    pub entity_id: Option<i64>,
    pub organisation_id: Option<i64>,
    /// One French sentence for the trail's reader.
    pub summary: String,
    /// For a creation, the values; for an update, `{ field: { "avant": …, "après": … } }`.
    pub changes: Value,
}

pub async fn record(conn: &mut AnyConnection, author: &Author, entry: Entry) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO audit_events (occurred_at, actor_account_id, actor_name, action, entity_type, \
         entity_id, organisation_id, summary, changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(now())
    .bind(author.account_id)
    .bind(&author.name)
    .bind(entry.action)
    .bind(entry.entity_type)
    .bind(entry.entity_id)
    .bind(entry.organisation_id)
    .bind(&entry.summary)
    .bind(entry.changes.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Builds the `{ field: { avant, après } }` map of the fields that differ.
#[derive(Default)]
pub struct Diff(serde_json::Map<String, Value>);

impl Diff {
    pub fn field<T: Serialize + PartialEq>(mut self, name: &str, before: &T, after: &T) -> Self {
        if before != after {
            self.0.insert(
                name.to_string(),
                serde_json::json!({ "avant": before, "après": after }),
            );
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

pub use domain::audit::AuditFilter as Filter;
pub const PAGE_SIZE: i64 = 50;

/// One page of the trail, newest first, and whether a next page exists.
pub async fn list(db: &Db, by: &Identity, filter: &Filter) -> BackendResult<(Vec<Event>, bool)> {
    by.require(Action::ViewAuditTrail, Target::Global)?;
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
    let rows = query.fetch_all(&db.pool).await?;
    let has_more = rows.len() as i64 > PAGE_SIZE;
    let events = rows
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|r| {
            Ok(Event {
                id: r.try_get("id")?,
                occurred_at: r.try_get("occurred_at")?,
                actor_name: r.try_get("actor_name")?,
                action: r.try_get("action")?,
                entity_type: r.try_get("entity_type")?,
                entity_id: r.try_get("entity_id")?,
                organisation_id: r.try_get("organisation_id")?,
                summary: r.try_get("summary")?,
                changes: r.try_get("changes")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((events, has_more))
}
