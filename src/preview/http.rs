//! The preview's HTTP/1.1 server: one thread per connection and one request per connection
//! (`Connection: close`), GET and HEAD only, bound to 127.0.0.1.
//!
//! It replaces tiny_http 0.12, whose connection pool hands a new connection to a thread that is
//! already taken when two connections arrive together: the second waits until some keep-alive
//! connection closes. A reader page opens six or more at once, so one of its scripts could
//! stall for seconds and the page's `load` with it (seen as a flaky preview test). A local
//! preview needs neither keep-alive nor pipelining, so this stays small.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

/// The longest request head read (request line and headers).
const MAX_HEAD: u64 = 16 * 1024;

pub struct Request {
    pub method: String,
    /// The request target as sent (`/a/b.html?x`), not decoded.
    pub target: String,
    /// The `Host` header's values as sent (a request may carry none, or several).
    pub hosts: Vec<String>,
    stream: TcpStream,
}

pub struct Reply {
    pub status: u16,
    pub mime: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn ok(body: Vec<u8>, mime: &'static str) -> Reply {
        Reply {
            status: 200,
            mime,
            body,
        }
    }
}

pub fn bind(port: u16) -> io::Result<TcpListener> {
    TcpListener::bind(("127.0.0.1", port))
}

/// Accepts connections for ever; each is read and answered on its own thread.
pub fn run(listener: &TcpListener, handle: impl Fn(Request) + Send + Sync + Clone + 'static) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let handle = handle.clone();
        std::thread::spawn(move || {
            if let Some(r) = read_request(stream) {
                handle(r);
            }
        });
    }
}

fn read_request(stream: TcpStream) -> Option<Request> {
    // A client that connects and sends nothing must not hold a thread for ever.
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?).take(MAX_HEAD);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_ascii_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    // The rest of the head: up to the empty line (no body is read: GET and HEAD only).
    let mut hosts = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((name, value)) = h.split_once(':')
            && name.eq_ignore_ascii_case("host")
        {
            hosts.push(value.trim().to_string());
        }
    }
    Some(Request {
        method,
        target,
        hosts,
        stream,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Error",
    }
}

impl Request {
    /// The path part of the target (no query or fragment).
    pub fn path(&self) -> &str {
        self.target.split(['?', '#']).next().unwrap_or("/")
    }

    pub fn respond(mut self, reply: Reply) {
        let head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
            reply.status,
            reason(reply.status),
            reply.mime,
            reply.body.len()
        );
        let _ = self.stream.write_all(head.as_bytes());
        if self.method != "HEAD" {
            let _ = self.stream.write_all(&reply.body);
        }
        let _ = self.stream.flush();
    }

    /// For a stream of server-sent events: writes the head and hands over the connection.
    pub fn into_event_stream(mut self) -> Option<TcpStream> {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
        self.stream.write_all(head.as_bytes()).ok()?;
        self.stream.flush().ok()?;
        Some(self.stream)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(port: u16, raw: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(raw.as_bytes()).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn answers_many_connections_at_once_while_others_stay_open() {
        let listener = bind(0).unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            run(&listener, |r: Request| {
                if r.path() == "/events" {
                    if let Some(mut s) = r.into_event_stream() {
                        std::thread::sleep(Duration::from_secs(30));
                        let _ = s.write_all(b": ping\n\n");
                    }
                    return;
                }
                let body = format!("{} {}", r.method, r.path()).into_bytes();
                r.respond(Reply::ok(body, "text/plain"));
            });
        });
        // Eight open event streams (more than tiny_http's four idle threads) and idle connections
        // that send nothing must not delay anyone else.
        let streams: Vec<TcpStream> = (0..8)
            .map(|_| {
                let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                s.write_all(b"GET /events HTTP/1.1\r\n\r\n").unwrap();
                s
            })
            .collect();
        let idle: Vec<TcpStream> = (0..4)
            .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
            .collect();
        let handles: Vec<_> = (0..16)
            .map(|i| {
                std::thread::spawn(move || {
                    get(
                        port,
                        &format!("GET /f{i}.js?x=1 HTTP/1.1\r\nHost: a\r\n\r\n"),
                    )
                })
            })
            .collect();
        for (i, h) in handles.into_iter().enumerate() {
            let reply = h.join().unwrap();
            assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
            assert!(reply.contains("Connection: close\r\n"));
            assert!(reply.ends_with(&format!("\r\n\r\nGET /f{i}.js")), "{reply}");
        }
        let head = get(port, "HEAD /x HTTP/1.1\r\n\r\n");
        assert!(head.contains("Content-Length: 7\r\n") && head.ends_with("\r\n\r\n"));
        drop((streams, idle));
    }

    #[test]
    fn a_garbled_request_is_dropped_without_an_answer() {
        let listener = bind(0).unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            run(&listener, |r: Request| {
                r.respond(Reply::ok(vec![], "text/plain"))
            })
        });
        assert_eq!(get(port, "\r\n\r\n"), "");
    }
}
