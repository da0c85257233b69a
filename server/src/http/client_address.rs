//! The client's address, for login throttling and logs. Behind a reverse proxy every request comes
//! from the proxy: the address is then read from `X-Forwarded-For`, but only when the request came
//! from a proxy declared trusted (`CEDRE_TRUSTED_PROXIES`), since anyone can send that header.

use http::HeaderMap;
use std::net::IpAddr;
use std::str::FromStr;

/// Addresses or CIDR blocks of the reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl FromStr for TrustedProxies {
    type Err = String;

    /// `10.0.0.1, 192.168.0.0/16, ::1` (empty: no proxy is trusted).
    fn from_str(text: &str) -> Result<Self, String> {
        text.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|item| {
                let (address, bits) = item.split_once('/').unwrap_or((item, ""));
                let address: IpAddr = address
                    .parse()
                    .map_err(|_| format!("adresse de mandataire invalide : {item}"))?;
                let max = if address.is_ipv4() { 32 } else { 128 };
                let bits = match bits {
                    "" => max,
                    b => b
                        .parse::<u8>()
                        .ok()
                        .filter(|b| *b <= max)
                        .ok_or_else(|| format!("préfixe invalide : {item}"))?,
                };
                Ok((address, bits))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }
}

impl TrustedProxies {
    pub fn contains(&self, address: IpAddr) -> bool {
        self.0
            .iter()
            .any(|(block, bits)| same_prefix(*block, address, *bits))
    }

    /// The client: the peer, or — when the peer is a trusted proxy — the last address of
    /// `X-Forwarded-For` that is not itself a trusted proxy.
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?;
        if !self.contains(peer) {
            return Some(peer);
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse().ok())
            .collect();
        Some(
            forwarded
                .into_iter()
                .rev()
                .find(|a| !self.contains(*a))
                .unwrap_or(peer),
        )
    }
}

fn same_prefix(block: IpAddr, address: IpAddr, bits: u8) -> bool {
    let (block, address, width) = match (block, address) {
        (IpAddr::V4(b), IpAddr::V4(a)) => (u32::from(b) as u128, u32::from(a) as u128, 32),
        (IpAddr::V6(b), IpAddr::V6(a)) => (u128::from(b), u128::from(a), 128),
        _ => return false,
    };
    let shift = width - u32::from(bits);
    shift >= width || block >> shift == address >> shift
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_forwarded_address_counts_only_from_a_trusted_proxy() {
        let none = TrustedProxies::default();
        let proxy: TrustedProxies = "10.0.0.0/8, ::1".parse().unwrap();
        let headers = forwarded("203.0.113.9, 198.51.100.7");
        // No proxy declared: the header is ignored, whoever sends it.
        assert_eq!(
            none.client(Some(ip("10.0.0.2")), &headers),
            Some(ip("10.0.0.2"))
        );
        // From a trusted proxy: the last address the proxy saw.
        assert_eq!(
            proxy.client(Some(ip("10.1.2.3")), &headers),
            Some(ip("198.51.100.7"))
        );
        // From anywhere else: the peer, not the header.
        assert_eq!(
            proxy.client(Some(ip("192.0.2.1")), &headers),
            Some(ip("192.0.2.1"))
        );
        // A chain of trusted proxies is skipped.
        let chain = forwarded("203.0.113.9, 10.9.9.9");
        assert_eq!(
            proxy.client(Some(ip("::1")), &chain),
            Some(ip("203.0.113.9"))
        );
        // Nothing usable: the proxy itself.
        assert_eq!(
            proxy.client(Some(ip("10.0.0.1")), &forwarded("n'importe quoi")),
            Some(ip("10.0.0.1"))
        );
    }

    #[test]
    fn bad_settings_are_refused() {
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert!("proxy.local".parse::<TrustedProxies>().is_err());
        assert_eq!("".parse::<TrustedProxies>(), Ok(TrustedProxies::default()));
        assert!("0.0.0.0/0"
            .parse::<TrustedProxies>()
            .unwrap()
            .contains(ip("8.8.8.8")));
    }
}
