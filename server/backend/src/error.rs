use domain::policy::Action;

/// What a use case can fail with. `Invalid` and `Conflict` carry a French message meant for
/// the user; the other variants carry details meant for the logs only.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error("not authenticated")]
    Unauthenticated,
    #[error("forbidden: {action:?} for account {account_id}")]
    Forbidden { action: Action, account_id: i64 },
    #[error("not found: {0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    #[error("too many login attempts for {0}")]
    Throttled(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type BackendResult<T> = Result<T, BackendError>;

impl BackendError {
    pub fn invalid(message: impl ToString) -> Self {
        Self::Invalid(message.to_string())
    }

    /// Maps a unique-constraint violation to a French message; anything else stays a database error.
    pub fn on_unique(error: sqlx::Error, message: &str) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                Self::Conflict(message.to_string())
            }
            _ => Self::Database(error),
        }
    }
}
