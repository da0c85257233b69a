use domain::policy::Action;
use domain::validation::FieldErrors;

/// What a use case can fail with. `Invalid` carries French messages meant for the user, keyed by
/// the form field they concern; the other variants carry details meant for the logs only.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error("not authenticated")]
    Unauthenticated,
    #[error("forbidden: {action:?} for account {account_id}")]
    Forbidden { action: Action, account_id: i64 },
    #[error("not found: {0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error("too many login attempts for {0}")]
    Throttled(String),
    /// A stored value that does not decode: corrupted or foreign data.
    #[error("cannot decode {table}.{column}: {detail}")]
    Decode {
        table: &'static str,
        column: String,
        detail: String,
    },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type BackendResult<T> = Result<T, BackendError>;

impl BackendError {
    /// A refusal about the whole form.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid(FieldErrors::form(message))
    }

    /// A refusal about one field of the form.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(FieldErrors::on(field, message))
    }

    /// Maps a unique-constraint violation to a French message about `field`; anything else
    /// stays a database error.
    pub fn on_unique(error: sqlx::Error, field: &str, message: &str) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                Self::invalid_field(field, message)
            }
            _ => Self::Database(error),
        }
    }
}

impl From<FieldErrors> for BackendError {
    fn from(errors: FieldErrors) -> Self {
        Self::Invalid(errors)
    }
}
