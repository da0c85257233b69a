//! What an audit costs (seed « B », « Combien coûte la certification ») : a price set each
//! year by the federation (1 600 € TTC in 2005: 1 400 € of audit, 200 € of expenses), fixed on
//! a demande when its auditor is assigned, invoiced by the auditor to the SIAE, sometimes
//! funded in part or whole by the federation or the region.

use crate::validation::FieldErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The price of an audit from `year` on (until a later year's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPrice {
    pub year: i32,
    pub audit_cents: i64,
    pub expenses_cents: i64,
}

impl AuditPrice {
    pub fn total_cents(&self) -> i64 {
        self.audit_cents + self.expenses_cents
    }
}

/// The price in force in `year`: the latest set for that year or before.
pub fn price_for(prices: &[AuditPrice], year: i32) -> Option<AuditPrice> {
    prices
        .iter()
        .filter(|p| p.year <= year)
        .max_by_key(|p| p.year)
        .copied()
}

/// `1 600,00 €`.
pub fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.abs();
    let units = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{:02} €", cents % 100)
}

/// An amount in euros as typed (`1400`, `1 400,50`, `1400.5`), in cents.
pub fn parse_euros(text: &str) -> Option<i64> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '€')
        .collect();
    let (units, decimals) = match compact.split_once([',', '.']) {
        Some((u, d)) => (u, d),
        None => (compact.as_str(), ""),
    };
    if units.is_empty()
        || !units.chars().all(|c| c.is_ascii_digit())
        || decimals.len() > 2
        || !decimals.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let units: i64 = units.parse().ok()?;
    let decimals: i64 = format!("{decimals:0<2}").parse().ok()?;
    units.checked_mul(100)?.checked_add(decimals)
}

/// A year's price as typed by the federation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceDraft {
    pub year: String,
    pub audit: String,
    pub expenses: String,
}

/// Prices stay within reason: a typo of three zeros is refused.
const MAX_CENTS: i64 = 10_000_000;

fn amount(errors: &mut FieldErrors, field: &str, text: &str) -> i64 {
    match parse_euros(text) {
        Some(cents) if cents <= MAX_CENTS => cents,
        _ => {
            errors.add(
                field,
                "Indiquez un montant en euros, par exemple 1 400 ou 1 400,50.",
            );
            0
        }
    }
}

impl PriceDraft {
    pub fn check(&self) -> Result<AuditPrice, FieldErrors> {
        let mut errors = FieldErrors::new();
        let year = match self.year.trim().parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => y,
            _ => {
                errors.add("year", "Indiquez une année, par exemple 2027.");
                0
            }
        };
        let audit_cents = amount(&mut errors, "audit", &self.audit);
        let expenses_cents = amount(&mut errors, "expenses", &self.expenses);
        if errors.is_empty() {
            Ok(AuditPrice {
                year,
                audit_cents,
                expenses_cents,
            })
        } else {
            Err(errors)
        }
    }
}

/// Who funds part of an audit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funding {
    pub funder_name: String,
    pub cents: i64,
}

/// What a demande's audit costs and who pays it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditCost {
    pub price: AuditPrice,
    /// The auditor's invoice to the SIAE: its date and number.
    pub invoice: Option<(NaiveDate, String)>,
    pub funding: Option<Funding>,
}

impl AuditCost {
    /// What the SIAE pays once the funding is deducted.
    pub fn paid_by_siae_cents(&self) -> i64 {
        self.price.total_cents() - self.funding.as_ref().map_or(0, |f| f.cents)
    }
}

/// A funding as typed by the federation: who (`federation` or `region`) and how much.
pub fn check_funding(amount_text: &str, total_cents: i64) -> Result<i64, FieldErrors> {
    let mut errors = FieldErrors::new();
    let cents = amount(&mut errors, "amount", amount_text);
    if errors.is_empty() && cents > total_cents {
        errors.add(
            "amount",
            format!(
                "La prise en charge ne peut dépasser le coût de l'audit ({}).",
                euros(total_cents)
            ),
        );
    }
    if errors.is_empty() {
        Ok(cents)
    } else {
        Err(errors)
    }
}

/// The audits of one year in one region, for the federation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostTotal {
    pub year: i32,
    pub region_name: String,
    pub audits: i64,
    pub invoiced: i64,
    pub total_cents: i64,
    pub funded_cents: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_price_in_force_is_the_latest_set_for_the_year_or_before() {
        let p2005 = AuditPrice {
            year: 2005,
            audit_cents: 140_000,
            expenses_cents: 20_000,
        };
        let p2027 = AuditPrice {
            year: 2027,
            audit_cents: 180_000,
            expenses_cents: 25_000,
        };
        let prices = [p2027, p2005];
        assert_eq!(price_for(&prices, 2004), None);
        assert_eq!(price_for(&prices, 2005), Some(p2005));
        assert_eq!(price_for(&prices, 2026), Some(p2005));
        assert_eq!(price_for(&prices, 2027), Some(p2027));
        assert_eq!(price_for(&prices, 2030), Some(p2027));
        assert_eq!(p2005.total_cents(), 160_000);
    }

    #[test]
    fn amounts_are_read_and_written_the_french_way() {
        assert_eq!(parse_euros("1400"), Some(140_000));
        assert_eq!(parse_euros("1 400,5"), Some(140_050));
        assert_eq!(parse_euros("1400.05 €"), Some(140_005));
        assert_eq!(parse_euros("0"), Some(0));
        for bad in ["", "-5", "12,345", "douze", "1,2,3", ",50"] {
            assert_eq!(parse_euros(bad), None, "{bad}");
        }
        assert_eq!(euros(160_000), "1\u{202f}600,00 €");
        assert_eq!(euros(5), "0,05 €");
        assert_eq!(euros(123_456_789), "1\u{202f}234\u{202f}567,89 €");
    }

    #[test]
    fn a_price_and_a_funding_are_checked_field_by_field() {
        let draft = PriceDraft {
            year: "2027".into(),
            audit: "1 800".into(),
            expenses: "250".into(),
        };
        assert_eq!(
            draft.check(),
            Ok(AuditPrice {
                year: 2027,
                audit_cents: 180_000,
                expenses_cents: 25_000
            })
        );
        let bad = PriceDraft {
            year: "27".into(),
            audit: "mille".into(),
            expenses: "250".into(),
        };
        let errors = bad.check().unwrap_err();
        assert_eq!(
            errors.message_for("year").as_deref(),
            Some("Indiquez une année, par exemple 2027.")
        );
        assert_eq!(
            errors.message_for("audit").as_deref(),
            Some("Indiquez un montant en euros, par exemple 1 400 ou 1 400,50.")
        );
        assert_eq!(errors.message_for("expenses"), None);
        assert_eq!(check_funding("800", 160_000), Ok(80_000));
        assert_eq!(
            check_funding("1700", 160_000)
                .unwrap_err()
                .message_for("amount")
                .as_deref(),
            Some("La prise en charge ne peut dépasser le coût de l'audit (1\u{202f}600,00 €).")
        );
    }
}
