use crate::components::errors::ErrorPanel;
use crate::components::forms::unshown_refusal;
use crate::error::AppError;
use leptos::prelude::*;
use std::future::Future;

/// Renders `render(data)` once `data` has loaded, or the error panel (with its HTTP status).
/// Above the content, the messages of a refused form that the content does not show.
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
                    Ok(value) => {
                        let content = render(value).into_any();
                        view! { {unshown_refusal()} {content} }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
