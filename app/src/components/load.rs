use crate::components::errors::ErrorPanel;
use crate::error::AppError;
use leptos::prelude::*;
use std::future::Future;

/// Renders `render(data)` once `data` has loaded, or the error panel (with its HTTP status).
pub fn loaded<T, V>(
    data: impl Future<Output = Result<T, AppError>> + Send + 'static,
    render: impl FnOnce(T) -> V + Send + 'static,
) -> impl IntoView
where
    T: Send + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="chargement">"Chargement…"</p> }>
            {Suspend::new(async move {
                match data.await {
                    Ok(value) => render(value).into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
