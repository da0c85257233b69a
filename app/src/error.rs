//! The error every server function returns. Its messages are what the user reads, in French;
//! the details of internal failures go to the server logs only.

use domain::validation::FieldErrors;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Votre session a expiré ou vous n'êtes pas connecté : connectez-vous pour continuer.")]
    Unauthenticated,
    #[error(
        "Vous n'avez pas les droits nécessaires pour accéder à cette page ou faire cette action."
    )]
    Forbidden,
    #[error("Cette page n'existe pas, ou vous n'y avez pas accès.")]
    NotFound,
    /// A refused input or a conflict; each message says what to correct, beside its field.
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error("Trop de tentatives de connexion infructueuses. Pour protéger les comptes, patientez avant de réessayer : l'attente s'allonge à chaque tentative, jusqu'à 15 minutes.")]
    Throttled,
    #[error("Une erreur interne est survenue et rien n'a été modifié. Réessayez ; si l'erreur persiste, prévenez l'administrateur.")]
    Internal,
    #[error(
        "La communication avec le serveur a échoué ({0}). Vérifiez votre connexion et réessayez."
    )]
    Transport(String),
}

impl AppError {
    /// A refusal about the whole form.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid(FieldErrors::form(message))
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Invalid(_) => 422,
            Self::Throttled => 429,
            Self::Internal | Self::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<backend::BackendError> for AppError {
    fn from(error: backend::BackendError) -> Self {
        use backend::BackendError as E;
        match error {
            E::Unauthenticated => Self::Unauthenticated,
            E::Forbidden { .. } => Self::Forbidden,
            E::NotFound(_) => Self::NotFound,
            E::Invalid(errors) => Self::Invalid(errors),
            E::Throttled(_) => Self::Throttled,
            E::Database(_) | E::Migration(_) | E::Decode { .. } | E::Internal(_) => {
                tracing::error!(%error, "internal error");
                Self::Internal
            }
        }
    }
}
