/// The value of the cookie `name` in the request, if present (shared with the form echo).
pub use app::api::ssr::read_cookie as read;

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::COOKIE;
    use http::HeaderMap;

    #[test]
    fn finds_a_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, "a=1; cedre_session=abc=; b=2".parse().unwrap());
        assert_eq!(read(&headers, "cedre_session"), Some("abc="));
        assert_eq!(read(&headers, "cedre"), None);
    }
}
