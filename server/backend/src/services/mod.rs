//! Use cases, one function each: authorize with `domain::policy`, read what the change needs,
//! decide with `domain`, write through `crate::db` inside one [`crate::db::UnitOfWork`], which
//! appends the typed audit event and commits.

pub mod accounts;
pub mod assessments;
pub mod audit;
pub mod auditors;
pub mod audits;
pub mod committee;
pub mod corrective;
pub mod costs;
pub mod demandes;
pub mod editions;
pub mod evidence;
pub mod home;
pub mod logo;
pub mod mailer;
pub mod manual;
pub mod notifications;
pub mod organisations;
pub mod parcours;
pub mod parcours_documents;
pub mod programme;
pub mod referentiels;
pub mod second_factor;
pub mod security;
pub mod sessions;
pub mod throttle;

/// A refusal of a lifecycle (`domain::workflow`) as the error the caller gets.
pub(crate) fn refused(
    by: &crate::identity::Identity,
    refusal: domain::workflow::Refusal,
) -> crate::error::BackendError {
    use crate::error::BackendError;
    use domain::workflow::Refusal;
    match refusal {
        Refusal::Forbidden { action } => BackendError::Forbidden {
            action,
            account_id: by.account_id,
        },
        Refusal::Invalid { field, message } => BackendError::invalid_field(field, message),
    }
}

/// `text` trimmed; longer than `limit` characters, it is refused beside `field`, the message
/// naming it as `what` (« Le message »).
pub(crate) fn bounded_text(
    field: &str,
    text: &str,
    what: &str,
    limit: usize,
) -> crate::error::BackendResult<String> {
    let text = text.trim();
    if text.chars().count() > limit {
        return Err(crate::error::BackendError::invalid_field(
            field,
            format!("{what} dépasse {limit} caractères."),
        ));
    }
    Ok(text.to_string())
}
