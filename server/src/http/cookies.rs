use http::header::COOKIE;
use http::HeaderMap;

/// The value of the cookie `name` in the request, if present.
pub fn read<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, "a=1; cedre_session=abc=; b=2".parse().unwrap());
        assert_eq!(read(&headers, "cedre_session"), Some("abc="));
        assert_eq!(read(&headers, "cedre"), None);
    }
}
