//! The yearly prices of an audit and what each demande's audit costs.

use super::stored::{self, Columns};
use crate::error::BackendResult;
use chrono::NaiveDate;
use domain::certification::cost::{AuditCost, AuditPrice, CostTotal, Funding};
use sqlx::AnyConnection;

fn price(c: &Columns<'_>, year_column: &str) -> BackendResult<AuditPrice> {
    let year: i64 = c.get(year_column)?;
    Ok(AuditPrice {
        year: i32::try_from(year).unwrap_or_default(),
        audit_cents: c.get("audit_cents")?,
        expenses_cents: c.get("expenses_cents")?,
    })
}

/// Every year's price, the latest first.
pub async fn prices(conn: &mut AnyConnection) -> BackendResult<Vec<AuditPrice>> {
    let rows = sqlx::query(
        "SELECT year, audit_cents, expenses_cents FROM audit_prices ORDER BY year DESC",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| price(&Columns::new(row, "audit_prices"), "year"))
        .collect()
}

/// Sets the price of `price.year` (replacing the one set before for that year).
pub async fn set_price(conn: &mut AnyConnection, price: &AuditPrice, by: i64) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO audit_prices (year, audit_cents, expenses_cents, set_by, set_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (year) DO UPDATE SET \
         audit_cents = excluded.audit_cents, expenses_cents = excluded.expenses_cents, \
         set_by = excluded.set_by, set_at = excluded.set_at",
    )
    .bind(i64::from(price.year))
    .bind(price.audit_cents)
    .bind(price.expenses_cents)
    .bind(by)
    .bind(stored::now())
    .execute(conn)
    .await?;
    Ok(())
}

/// Fixes the price of the demande's audit, assigned in `year`.
pub async fn fix(
    conn: &mut AnyConnection,
    demande_id: i64,
    year: i32,
    price: &AuditPrice,
) -> BackendResult<()> {
    sqlx::query(
        "INSERT INTO audit_costs (demande_id, year, price_year, audit_cents, expenses_cents) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(demande_id)
    .bind(i64::from(year))
    .bind(i64::from(price.year))
    .bind(price.audit_cents)
    .bind(price.expenses_cents)
    .execute(conn)
    .await?;
    Ok(())
}

/// The organisation that funded a demande's audit, if any.
pub async fn funder_of(conn: &mut AnyConnection, demande_id: i64) -> BackendResult<Option<i64>> {
    let row = sqlx::query("SELECT funder_id FROM audit_costs WHERE demande_id = $1")
        .bind(demande_id)
        .fetch_optional(conn)
        .await?;
    Ok(match row {
        Some(row) => Columns::new(&row, "audit_costs").get("funder_id")?,
        None => None,
    })
}

pub async fn of_demande(
    conn: &mut AnyConnection,
    demande_id: i64,
) -> BackendResult<Option<AuditCost>> {
    let row = sqlx::query(
        "SELECT c.price_year, c.audit_cents, c.expenses_cents, c.invoiced_on, c.invoice_ref, \
         c.funded_cents, o.name AS funder_name FROM audit_costs c \
         LEFT JOIN organisations o ON o.id = c.funder_id WHERE c.demande_id = $1",
    )
    .bind(demande_id)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        let c = Columns::new(&row, "audit_costs");
        let invoice = match c.optional_date("invoiced_on")? {
            Some(on) => Some((on, c.get("invoice_ref")?)),
            None => None,
        };
        let funding = match c.get::<Option<String>>("funder_name")? {
            Some(funder_name) => Some(Funding {
                funder_name,
                cents: c.get("funded_cents")?,
            }),
            None => None,
        };
        Ok(AuditCost {
            price: price(&c, "price_year")?,
            invoice,
            funding,
        })
    })
    .transpose()
}

pub async fn set_invoice(
    conn: &mut AnyConnection,
    demande_id: i64,
    on: NaiveDate,
    reference: &str,
) -> BackendResult<()> {
    sqlx::query("UPDATE audit_costs SET invoiced_on = $1, invoice_ref = $2 WHERE demande_id = $3")
        .bind(stored::date(on))
        .bind(reference)
        .bind(demande_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_funding(
    conn: &mut AnyConnection,
    demande_id: i64,
    funder_id: i64,
    cents: i64,
) -> BackendResult<()> {
    sqlx::query("UPDATE audit_costs SET funder_id = $1, funded_cents = $2 WHERE demande_id = $3")
        .bind(funder_id)
        .bind(cents)
        .bind(demande_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The audits' costs by year (of their price) and region, the latest year first.
pub async fn totals(conn: &mut AnyConnection) -> BackendResult<Vec<CostTotal>> {
    let rows = sqlx::query(
        "SELECT c.year, r.name AS region_name, COUNT(*) AS audits, \
         CAST(SUM(CASE WHEN c.invoiced_on IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS invoiced, \
         CAST(SUM(c.audit_cents + c.expenses_cents) AS BIGINT) AS total_cents, \
         CAST(SUM(c.funded_cents) AS BIGINT) AS funded_cents \
         FROM audit_costs c JOIN demandes d ON d.id = c.demande_id \
         JOIN organisations s ON s.id = d.siae_id JOIN organisations r ON r.id = s.region_id \
         GROUP BY c.year, r.name ORDER BY c.year DESC, r.name",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "audit_costs");
            let year: i64 = c.get("year")?;
            Ok(CostTotal {
                year: i32::try_from(year).unwrap_or_default(),
                region_name: c.get("region_name")?,
                audits: c.get("audits")?,
                invoiced: c.get("invoiced")?,
                total_cents: c.get("total_cents")?,
                funded_cents: c.get("funded_cents")?,
            })
        })
        .collect()
}
