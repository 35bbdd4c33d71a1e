//! Which `Host` the preview answers: `localhost`, `127.0.0.1` and `[::1]` with the serving
//! port, and the names the editor adds with `--allow-host`. Anything else gets 403, so a web
//! page open in the editor's browser cannot read unpublished drafts through DNS rebinding
//! (a page on `evil.example` whose name is made to resolve to 127.0.0.1 sends
//! `Host: evil.example:PORT`). The same check as Vite's `server.allowedHosts`.

/// The names always answered.
const LOOPBACK: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

pub struct Allowed {
    port: u16,
    names: Vec<String>,
}

impl Allowed {
    /// `extra`: the `--allow-host` names (`preview.example`, `192.168.1.5`, `::1`).
    pub fn new(port: u16, extra: &[String]) -> Self {
        let mut names: Vec<String> = LOOPBACK.iter().map(|s| s.to_string()).collect();
        names.extend(extra.iter().map(|n| normalise(n)).filter(|n| !n.is_empty()));
        Allowed { port, names }
    }

    /// Does a request with these `Host` header values and this target get an answer?
    /// Exactly one `Host` is required (HTTP/1.1), and the target must be a path: an
    /// absolute-form target (`GET http://evil.example/ …`) would name another host.
    pub fn admits(&self, hosts: &[String], target: &str) -> bool {
        let [host] = hosts else { return false };
        if !target.starts_with('/') {
            return false;
        }
        let Some((name, port)) = split(host) else {
            return false;
        };
        // No port means the scheme's default, 80.
        let port_ok = match port {
            Some(p) => p.parse::<u16>().ok() == Some(self.port) && !p.starts_with('+'),
            None => self.port == 80,
        };
        port_ok && self.names.iter().any(|n| *n == name.to_ascii_lowercase())
    }
}

/// `name` or `name:port` or `[v6]` or `[v6]:port` → (name, port).
fn split(host: &str) -> Option<(&str, Option<&str>)> {
    if host.starts_with('[') {
        let end = host.find(']')? + 1;
        let (name, rest) = host.split_at(end);
        return match rest {
            "" => Some((name, None)),
            _ => Some((name, Some(rest.strip_prefix(':')?))),
        };
    }
    match host.split_once(':') {
        Some((name, port)) if !port.contains(':') => Some((name, Some(port))),
        Some(_) => None,
        None => Some((host, None)),
    }
}

/// An `--allow-host` value as it appears in a `Host` header: lower case, IPv6 in brackets.
fn normalise(name: &str) -> String {
    let n = name.trim().to_ascii_lowercase();
    if n.contains(':') && !n.starts_with('[') {
        format!("[{n}]")
    } else {
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(a: &Allowed, host: &str) -> bool {
        a.admits(&[host.to_string()], "/")
    }

    #[test]
    fn loopback_names_with_the_serving_port_only() {
        let a = Allowed::new(4173, &[]);
        for h in [
            "localhost:4173",
            "127.0.0.1:4173",
            "[::1]:4173",
            "LocalHost:4173",
        ] {
            assert!(ok(&a, h), "{h}");
        }
        for h in [
            "evil.example:4173",
            "evil.example",
            "localhost",
            "127.0.0.1",
            "localhost:80",
            "localhost:4174",
            "localhost:+4173",
            "localhost.evil.example:4173",
            "127.0.0.1.nip.io:4173",
            "[::1]x:4173",
            "::1:4173",
            "",
        ] {
            assert!(!ok(&a, h), "{h}");
        }
    }

    #[test]
    fn none_or_two_host_headers_or_an_absolute_target_are_refused() {
        let a = Allowed::new(4173, &[]);
        assert!(!a.admits(&[], "/"));
        let two = [
            "localhost:4173".to_string(),
            "evil.example:4173".to_string(),
        ];
        assert!(!a.admits(&two, "/"));
        assert!(!a.admits(&two[..1], "http://evil.example/"));
    }

    #[test]
    fn names_the_editor_adds_are_answered() {
        let a = Allowed::new(8080, &["Preview.Example".into(), "fe80::1".into()]);
        assert!(ok(&a, "preview.example:8080"));
        assert!(ok(&a, "[fe80::1]:8080"));
        assert!(!ok(&a, "preview.example:4173"));
        assert!(!ok(&a, "other.example:8080"));
        let on80 = Allowed::new(80, &[]);
        assert!(ok(&on80, "localhost"));
    }
}
