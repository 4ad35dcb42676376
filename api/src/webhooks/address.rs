//! Where a delivery may connect: an `https` URL whose host resolves only to public
//! addresses, unless private ones are allowed (`THRESHOLD_WEBHOOK_ALLOW_PRIVATE`, for
//! development and tests). Checked when a subscription is saved, and again by the
//! deliverer's resolver at each delivery, on the very addresses it then connects to: a name
//! that resolves elsewhere later cannot lead a delivery into the private network.

use std::net::{SocketAddr, ToSocketAddrs};

use threshold_domain::webhooks::{check_address, check_scheme, AddressRefused};
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// Why a URL may not be delivered to, said to whoever saves it.
pub fn check_url(url: &str, allow_private: bool) -> Result<(), String> {
    let uri: Uri = url.parse().map_err(|_| "not an absolute URL".to_owned())?;
    let scheme = uri.scheme_str().ok_or("not an absolute URL")?;
    check_scheme(scheme, allow_private).map_err(|refused| refused.to_string())?;
    if uri
        .authority()
        .is_some_and(|authority| authority.as_str().contains('@'))
    {
        return Err("the URL may not carry a user name or password".into());
    }
    let (host, port) = host_and_port(&uri).ok_or(AddressRefused::NoHost.to_string())?;
    resolve(&host, port, allow_private).map(|_| ())
}

/// The host (without an IPv6 literal's brackets) and port of a URL.
fn host_and_port(uri: &Uri) -> Option<(String, u16)> {
    let host = uri.host().filter(|host| !host.is_empty())?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = uri
        .port_u16()
        .unwrap_or(if uri.scheme_str() == Some("http") {
            80
        } else {
            443
        });
    Some((host.to_owned(), port))
}

/// Every address `host` resolves to, if each may be connected to.
fn resolve(host: &str, port: u16, allow_private: bool) -> Result<Vec<SocketAddr>, String> {
    let addresses: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|error| format!("`{host}` does not resolve: {error}"))?
        .collect();
    if addresses.is_empty() {
        return Err(format!("`{host}` resolves to no address"));
    }
    for address in &addresses {
        check_address(address.ip(), allow_private).map_err(|refused| refused.to_string())?;
    }
    Ok(addresses)
}

/// The deliverer's resolver: the addresses it connects to are those it checked.
#[derive(Debug)]
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        _config: &Config,
        _timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let (host, port) = host_and_port(uri).ok_or(ureq::Error::HostNotFound)?;
        let addresses = resolve(&host, port, self.allow_private).map_err(|reason| {
            ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                reason,
            ))
        })?;
        let mut resolved = self.empty();
        for address in addresses {
            // Sixteen addresses at most: the rest are left out.
            if resolved.try_push(address).is_err() {
                break;
            }
        }
        Ok(resolved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_and_private_urls_only_when_allowed() {
        assert!(check_url("http://127.0.0.1:9/hook", true).is_ok());
        assert!(check_url("https://127.0.0.1:9/hook", true).is_ok());
        assert!(check_url("https://127.0.0.1:9/hook", false)
            .is_err_and(|reason| reason.contains("127.0.0.1")));
        assert!(check_url("https://[::1]/hook", false).is_err());
        assert!(check_url("https://10.0.0.1/hook", false).is_err());
        assert!(check_url("https://169.254.169.254/latest", false).is_err());
        assert!(check_url("https://localhost/hook", false).is_err());
        assert!(check_url("http://93.184.216.34/hook", false)
            .is_err_and(|reason| reason.contains("https")));
        assert!(check_url("https://93.184.216.34/hook", false).is_ok());
        assert!(check_url("ftp://127.0.0.1/hook", true).is_err());
        assert!(check_url("/relative", true).is_err());
        assert!(check_url("https://user:pw@93.184.216.34/", false).is_err());
    }
}
