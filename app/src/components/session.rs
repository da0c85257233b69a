//! The signed-in user and the flash message of the request being rendered (server side only;
//! pages are not rendered in the browser, which only hydrates islands).

use crate::types::{FlashMessage, Me};
#[cfg(feature = "ssr")]
use leptos::prelude::use_context;

#[cfg(feature = "ssr")]
pub fn current_me() -> Option<Me> {
    crate::api::ssr::current_identity().map(|i| Me {
        account_id: i.account_id,
        display_name: i.display_name,
        email: i.email,
        memberships: i.memberships,
        actor: i.actor,
        must_change_password: i.must_change_password,
        must_enrol_second_factor: i.must_enrol_second_factor,
    })
}

#[cfg(not(feature = "ssr"))]
pub fn current_me() -> Option<Me> {
    None
}

#[cfg(feature = "ssr")]
pub fn current_flash() -> Option<FlashMessage> {
    crate::api::ssr::incoming_flash()
}

#[cfg(not(feature = "ssr"))]
pub fn current_flash() -> Option<FlashMessage> {
    None
}

/// Whether this installation is a demonstration (the server marks its requests).
#[cfg(feature = "ssr")]
pub fn is_demo() -> bool {
    use_context::<http::request::Parts>()
        .is_some_and(|p| p.extensions.get::<crate::types::DemoInstance>().is_some())
}

#[cfg(not(feature = "ssr"))]
pub fn is_demo() -> bool {
    false
}

/// Sets the status of the page being rendered.
pub fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    crate::api::ssr::set_page_status(status);
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}
