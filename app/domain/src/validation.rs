//! Validation errors keyed by the form field they concern, so that a form can show each message
//! beside its field. A message about the whole form has the field [`FORM`].

use serde::{Deserialize, Serialize};
use std::fmt;

/// The pseudo-field of messages that concern the whole form rather than one field.
pub const FORM: &str = "";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's `name`, or [`FORM`].
    pub field: String,
    /// French, for the user.
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// One message about one field.
    pub fn on(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// One message about the whole form.
    pub fn form(message: impl Into<String>) -> Self {
        Self::on(FORM, message)
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// The messages about `field`, joined; `None` when the field is fine.
    pub fn message_for(&self, field: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .0
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join(" "))
    }
}

/// Every message, in order: for logs, script callers and the flash message above a form.
impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let messages: Vec<&str> = self.0.iter().map(|e| e.message.as_str()).collect();
        f.write_str(&messages.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_found_by_field() {
        let mut errors = FieldErrors::on("nom", "Le nom est obligatoire.");
        errors.add("siret", "Le SIRET compte 14 chiffres.");
        errors.add("nom", "Trop long.");
        assert_eq!(
            errors.message_for("nom").as_deref(),
            Some("Le nom est obligatoire. Trop long.")
        );
        assert_eq!(errors.message_for("ville"), None);
        assert_eq!(
            errors.to_string(),
            "Le nom est obligatoire. Le SIRET compte 14 chiffres. Trop long."
        );
        assert!(FieldErrors::new().is_empty());
    }
}
