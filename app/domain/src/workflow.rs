//! The shape every lifecycle of Cedre follows (référentiel versions, manual section versions,
//! the certification cycle): `(state, event, actor) → Ok(transition) | Err(refusal)`, pure, so
//! that the rules are tested as tables and the backend only loads, applies and stores.

use crate::policy::{Action, Actor, Target};
use std::fmt::Debug;

/// A lifecycle: which events move which state where, and who may send each event.
pub trait Machine {
    type State: Clone + PartialEq + Debug;
    type Event: Debug;

    /// What the actor must be allowed to do on the target to send this event.
    fn required_action(event: &Self::Event) -> Action;

    /// The state after `event`, or why the event does not apply in `state`.
    fn next(state: &Self::State, event: &Self::Event) -> Result<Self::State, Refusal>;
}

/// Why an event was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The actor may not send this event on this target.
    Forbidden { action: Action },
    /// The event does not apply in this state or with these data; French, for the user, about
    /// the form field `field` (`""` for the whole form).
    Invalid {
        field: &'static str,
        message: String,
    },
}

impl Refusal {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }
}

/// An accepted event: the state before and after, which the caller stores and records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition<S> {
    pub from: S,
    pub to: S,
}

/// Applies `event` to `state` for `actor` acting on `target`: authorization first, then the rules.
pub fn transition<M: Machine>(
    state: &M::State,
    event: &M::Event,
    actor: &Actor,
    target: Target,
) -> Result<Transition<M::State>, Refusal> {
    let action = M::required_action(event);
    if !actor.may(action, target) {
        return Err(Refusal::Forbidden { action });
    }
    let to = M::next(state, event)?;
    Ok(Transition {
        from: state.clone(),
        to,
    })
}
