-- What audits cost: the price the federation sets each year (the latest year up to an audit's
-- is in force), and each demande's audit: its price fixed at the auditor's assignment, the
-- auditor's invoice to the SIAE, the funding granted by the federation or the region.
-- Same as migrations/postgres/0020_audit_costs.sql.

CREATE TABLE audit_prices (
    year           INTEGER NOT NULL PRIMARY KEY CONSTRAINT audit_prices_year_check CHECK (year BETWEEN 2000 AND 2100),
    audit_cents    INTEGER NOT NULL CONSTRAINT audit_prices_audit_cents_check CHECK (audit_cents BETWEEN 0 AND 10000000),
    expenses_cents INTEGER NOT NULL CONSTRAINT audit_prices_expenses_cents_check CHECK (expenses_cents BETWEEN 0 AND 10000000),
    set_by         INTEGER REFERENCES accounts (id),
    set_at         TEXT NOT NULL
        CONSTRAINT audit_prices_set_at_check CHECK (set_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(set_at, 1, 19))) IS substr(set_at, 1, 19))
);
-- The seed: « Le coût d'un audit en 2005 est de 1600 € TTC […] coût de l'audit (1400 €) et
-- frais de mission (200 €). »
INSERT INTO audit_prices (year, audit_cents, expenses_cents, set_by, set_at)
VALUES (2005, 140000, 20000, NULL, '2005-01-01T00:00:00.000000Z');

CREATE TABLE audit_costs (
    demande_id     INTEGER NOT NULL PRIMARY KEY REFERENCES demandes (id),
    -- The year of the assignment, which the federation's totals count the audit in, and the
    -- year of the price in force then.
    year           INTEGER NOT NULL,
    price_year     INTEGER NOT NULL,
    audit_cents    INTEGER NOT NULL CONSTRAINT audit_costs_audit_cents_check CHECK (audit_cents >= 0),
    expenses_cents INTEGER NOT NULL CONSTRAINT audit_costs_expenses_cents_check CHECK (expenses_cents >= 0),
    invoiced_on    TEXT
        CONSTRAINT audit_costs_invoiced_on_check CHECK (invoiced_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(invoiced_on)) IS invoiced_on),
    invoice_ref    TEXT NOT NULL DEFAULT '' CONSTRAINT audit_costs_invoice_ref_check CHECK (length(invoice_ref) <= 100),
    funder_id      INTEGER REFERENCES organisations (id),
    funded_cents   INTEGER NOT NULL DEFAULT 0 CONSTRAINT audit_costs_funded_cents_check CHECK (funded_cents >= 0),
    CONSTRAINT audit_costs_funding_check CHECK (funded_cents <= audit_cents + expenses_cents)
);
