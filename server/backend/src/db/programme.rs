//! The programme's delays in force (the latest row of `programme_rules`) and the reminders sent
//! before certificates expire.

use super::stored::{self, Columns};
use crate::error::{BackendError, BackendResult};
use chrono::NaiveDate;
use domain::certification::programme::ProgrammeRules;
use sqlx::AnyConnection;

/// The rules in force, with who set them and when (`None`: the installation's defaults).
pub struct RulesInForce {
    pub rules: ProgrammeRules,
    pub set_by: Option<String>,
    pub set_at: chrono::DateTime<chrono::Utc>,
}

pub async fn in_force(conn: &mut AnyConnection) -> BackendResult<RulesInForce> {
    let row = sqlx::query(
        "SELECT r.major_nc_months, r.minor_nc_months, r.expiry_reminders, r.renewal_lead_months, \
         r.set_at, a.display_name FROM programme_rules r LEFT JOIN accounts a ON a.id = r.set_by \
         ORDER BY r.id DESC LIMIT 1",
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| BackendError::Internal("programme_rules has no row".into()))?;
    let c = Columns::new(&row, "programme_rules");
    let months = |column: &str| -> BackendResult<u32> {
        let n: i64 = c.get(column)?;
        u32::try_from(n)
            .map_err(|_| BackendError::Internal(format!("programme_rules.{column}: {n}")))
    };
    let reminders: String = c.get("expiry_reminders")?;
    let expiry_reminders = reminders
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<u32>().map_err(|_| {
                BackendError::Internal(format!("programme_rules.expiry_reminders: {reminders}"))
            })
        })
        .collect::<BackendResult<Vec<u32>>>()?;
    Ok(RulesInForce {
        rules: ProgrammeRules {
            major_nc_months: months("major_nc_months")?,
            minor_nc_months: months("minor_nc_months")?,
            expiry_reminders,
            renewal_lead_months: months("renewal_lead_months")?,
        },
        set_by: c.get("display_name")?,
        set_at: c.timestamp("set_at")?,
    })
}

/// Puts `rules` in force; the new row's id.
pub async fn set(conn: &mut AnyConnection, rules: &ProgrammeRules, by: i64) -> BackendResult<i64> {
    let reminders = rules
        .expiry_reminders
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let row = sqlx::query(
        "INSERT INTO programme_rules (major_nc_months, minor_nc_months, expiry_reminders, \
         renewal_lead_months, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(i64::from(rules.major_nc_months))
    .bind(i64::from(rules.minor_nc_months))
    .bind(reminders)
    .bind(i64::from(rules.renewal_lead_months))
    .bind(by)
    .bind(stored::now())
    .fetch_one(conn)
    .await?;
    Columns::new(&row, "programme_rules").get("id")
}

/// A SIAE's certificate in force, for the reminders.
pub struct Expiring {
    pub certificate_id: i64,
    pub siae_id: i64,
    pub valid_until: NaiveDate,
    /// The smallest number of months of the reminders already sent for it.
    pub last_reminder: Option<u32>,
}

/// Each SIAE's latest certificate, not withdrawn, ending on `today` or later.
pub async fn certificates_in_force(
    conn: &mut AnyConnection,
    today: NaiveDate,
) -> BackendResult<Vec<Expiring>> {
    let rows = sqlx::query(
        "SELECT c.id, c.siae_id, c.valid_until, \
         (SELECT MIN(r.months) FROM certificate_reminders r WHERE r.certificate_id = c.id) AS last_reminder \
         FROM certificates c \
         WHERE c.withdrawn_at IS NULL AND c.valid_until >= $1 \
         AND c.id = (SELECT MAX(l.id) FROM certificates l WHERE l.siae_id = c.siae_id) ORDER BY c.id",
    )
    .bind(stored::date(today))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "certificates");
            let last: Option<i64> = c.get("last_reminder")?;
            Ok(Expiring {
                certificate_id: c.get("id")?,
                siae_id: c.get("siae_id")?,
                valid_until: c
                    .optional_date("valid_until")?
                    .ok_or_else(|| BackendError::Internal("a certificate without end".into()))?,
                last_reminder: last.and_then(|m| u32::try_from(m).ok()),
            })
        })
        .collect()
}

pub async fn record_reminder(
    conn: &mut AnyConnection,
    certificate_id: i64,
    months: u32,
) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO certificate_reminders (certificate_id, months, sent_at) VALUES ($1, $2, $3)",
    )
    .bind(certificate_id)
    .bind(i64::from(months))
    .bind(stored::now())
    .execute(conn)
    .await?;
    Ok(())
}
