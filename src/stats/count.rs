//! Visits: the requests of one client (address + user agent) with no pause over 30 minutes of
//! log time. Each visit counts each thing it did once (a PDF fetched in 40 byte ranges is one
//! download); crawlers' visits are counted apart, as "left out".
//!
//! The client's address is only hashed (with a key that is new each run) together with the
//! user agent to tell visits apart in memory; neither is kept nor written anywhere.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};

use super::parse::Line;
use super::site::{Hit, Kind, Site};

/// A pause longer than this ends a visit.
pub const VISIT_GAP: i64 = 30 * 60;
/// How often (in log time) visits that ended are closed and counted.
const SWEEP_EVERY: i64 = 60;
/// User agents whose crawler verdict is remembered before the memo is emptied.
const UA_MEMO: usize = 100_000;
/// Addresses + agents that fetched robots.txt, remembered before the set is emptied.
const ROBOTS_MEMO: usize = 1_000_000;

/// What a cell counts. Report items are `report * 16 + kind`; the site's are at the top.
pub const MIDDLE: u32 = 8;
pub const END: u32 = 9;
pub const CATALOG: u32 = u32::MAX - 1;
pub const SEARCH: u32 = u32::MAX - 2;
pub const LEFT_AGENT: u32 = u32::MAX - 3;
pub const LEFT_ROBOTS: u32 = u32::MAX - 4;
pub const LEFT_REQUESTS: u32 = u32::MAX - 5;

pub fn item(report: usize, kind: Kind) -> u32 {
    report as u32 * 16 + kind as u32
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    Agent,
    Robots,
}

#[derive(Debug, Default)]
struct Visit {
    last: i64,
    /// Month of the visit's first request of the site.
    month: Option<i32>,
    bot: Option<Why>,
    /// Things done, each once, with the month it was first done in.
    items: Vec<(u32, i32)>,
    /// (report, furthest page group, month of the first group fetched)
    groups: Vec<(usize, u16, i32)>,
    requests: u64,
}

#[derive(Debug, Default, Clone)]
pub struct LineCounts {
    /// Lines read (well-formed or not).
    pub lines: u64,
    pub malformed: u64,
    /// Well-formed lines for paths that are not this site's (other sites in the same log).
    pub other_site: u64,
    /// Well-formed lines outside `--from/--to` or `--fiscal-year`.
    pub outside_period: u64,
    /// Local dates (`20240401`) of the first and last well-formed line.
    pub first: Option<i32>,
    pub last: Option<i32>,
}

pub struct Counter<'s> {
    site: &'s Site,
    bots: isbot::Bots,
    ua_memo: HashMap<u64, bool>,
    robots: HashSet<u64>,
    visits: HashMap<u64, Visit>,
    keys: RandomState,
    now: i64,
    swept: i64,
    /// Inclusive local dates (`20240401`, `20250331`).
    period: Option<(i32, i32)>,
    path: String,
    /// (month, item) → visits (or requests for LEFT_REQUESTS).
    pub cells: HashMap<(i32, u32), u64>,
    pub lines: LineCounts,
    /// Bases under which report files were asked for, when none was under ours (a hint).
    pub other_bases: HashMap<String, u64>,
    matched: u64,
}

impl<'s> Counter<'s> {
    pub fn new(site: &'s Site, period: Option<(i32, i32)>) -> Self {
        Counter {
            site,
            bots: isbot::Bots::default(),
            ua_memo: HashMap::new(),
            robots: HashSet::new(),
            visits: HashMap::new(),
            keys: RandomState::new(),
            now: i64::MIN,
            swept: i64::MIN,
            period,
            path: String::new(),
            cells: HashMap::new(),
            lines: LineCounts::default(),
            other_bases: HashMap::new(),
            matched: 0,
        }
    }

    #[cfg(test)]
    pub fn malformed(&mut self) {
        self.add_malformed(1);
    }

    pub fn add_malformed(&mut self, n: u64) {
        self.lines.lines += n;
        self.lines.malformed += n;
    }

    /// Requests of this site seen (in the period).
    pub fn matched(&self) -> u64 {
        self.matched
    }

    pub fn line(&mut self, l: &Line) {
        self.lines.lines += 1;
        let t = l.time.unix;
        let date = l.time.date_key();
        self.lines.first = Some(self.lines.first.map_or(date, |d| d.min(date)));
        self.lines.last = Some(self.lines.last.map_or(date, |d| d.max(date)));
        if t > self.now {
            self.now = t;
            if self.now.saturating_sub(self.swept) >= SWEEP_EVERY {
                self.sweep();
            }
        }
        if let Some((from, to)) = self.period
            && !(from..=to).contains(&date)
        {
            self.lines.outside_period += 1;
            return;
        }
        if !decode_path(l.target, &mut self.path) {
            self.lines.other_site += 1;
            return;
        }
        let robots = self.path == "/robots.txt"
            || self
                .path
                .strip_prefix(self.site.base.as_str())
                .is_some_and(|r| r == "robots.txt");
        let hit = if robots {
            None
        } else {
            self.site.classify(&self.path)
        };
        if hit.is_none() && !robots {
            self.lines.other_site += 1;
            if self.matched == 0
                && self.other_bases.len() < 16
                && let Some(b) = self.site.other_base(&self.path)
            {
                *self.other_bases.entry(b).or_default() += 1;
            }
            return;
        }
        let key = self.keys.hash_one((l.host, l.user_agent));
        let month = l.time.month_index();
        let visit = self.visits.entry(key).or_default();
        if visit.month.is_some() && t - visit.last > VISIT_GAP {
            let done = std::mem::take(visit);
            finish(&mut self.cells, self.site, done);
        }
        visit.last = visit.last.max(t);
        if visit.bot.is_none() {
            let ua_key = self.keys.hash_one(l.user_agent);
            let bots = &self.bots;
            if self.ua_memo.len() >= UA_MEMO {
                self.ua_memo.clear();
            }
            let crawler = *self
                .ua_memo
                .entry(ua_key)
                .or_insert_with(|| is_crawler(bots, l.user_agent));
            if crawler {
                visit.bot = Some(Why::Agent);
            } else if self.robots.contains(&key) {
                visit.bot = Some(Why::Robots);
            }
        }
        if robots {
            visit.bot = Some(visit.bot.unwrap_or(Why::Robots));
            if self.robots.len() >= ROBOTS_MEMO {
                self.robots.clear();
            }
            self.robots.insert(key);
            return;
        }
        self.matched += 1;
        if visit.month.is_none() {
            visit.month = Some(month);
        }
        if visit.bot.is_some() {
            visit.requests += 1;
            return;
        }
        if l.method != b"GET" {
            return;
        }
        let ok = matches!(l.status, 200 | 304);
        let got = match hit {
            Some(Hit::Report(i, kind)) => {
                let fine = if kind.is_download() {
                    matches!(l.status, 200 | 206)
                } else {
                    ok
                };
                fine.then(|| item(i, kind))
            }
            Some(Hit::Group(i, g)) => {
                if ok {
                    match visit.groups.iter_mut().find(|(r, _, _)| *r == i) {
                        Some(e) => e.1 = e.1.max(g),
                        None => visit.groups.push((i, g, month)),
                    }
                }
                None
            }
            Some(Hit::Catalog) => ok.then_some(CATALOG),
            Some(Hit::Search) => ok.then_some(SEARCH),
            Some(Hit::Asset) | None => None,
        };
        if let Some(it) = got
            && let Err(at) = visit.items.binary_search_by_key(&it, |e| e.0)
        {
            visit.items.insert(at, (it, month));
        }
    }

    /// Closes the visits that have ended by now.
    fn sweep(&mut self) {
        self.swept = self.now;
        let now = self.now;
        let ended: Vec<u64> = self
            .visits
            .iter()
            .filter(|(_, v)| now - v.last > VISIT_GAP)
            .map(|(k, _)| *k)
            .collect();
        for k in ended {
            if let Some(v) = self.visits.remove(&k) {
                finish(&mut self.cells, self.site, v);
            }
        }
    }

    /// Closes every visit (the end of the logs).
    pub fn finish(&mut self) {
        for (_, v) in self.visits.drain() {
            finish(&mut self.cells, self.site, v);
        }
    }

    /// Visits open now (for tests of the memory bound).
    #[cfg(test)]
    pub fn open_visits(&self) -> usize {
        self.visits.len()
    }
}

fn finish(cells: &mut HashMap<(i32, u32), u64>, site: &Site, v: Visit) {
    let Some(month) = v.month else { return };
    match v.bot {
        Some(why) => {
            let it = if why == Why::Agent {
                LEFT_AGENT
            } else {
                LEFT_ROBOTS
            };
            *cells.entry((month, it)).or_default() += 1;
            *cells.entry((month, LEFT_REQUESTS)).or_default() += v.requests;
        }
        None => {
            for (it, m) in v.items {
                *cells.entry((m, it)).or_default() += 1;
            }
            for (r, furthest, m) in v.groups {
                let rep = &site.reports[r];
                if rep.groups == 0 {
                    continue;
                }
                if furthest >= rep.middle {
                    *cells.entry((m, r as u32 * 16 + MIDDLE)).or_default() += 1;
                }
                if furthest >= rep.end {
                    *cells.entry((m, r as u32 * 16 + END)).or_default() += 1;
                }
            }
        }
    }
}

/// A crawler, link checker or script by its user agent: the `isbot` crate's list (hundreds of
/// patterns kept up with the JavaScript `isbot` project), and no user agent at all.
fn is_crawler(bots: &isbot::Bots, ua: &[u8]) -> bool {
    let ua = String::from_utf8_lossy(ua);
    let ua = ua.trim();
    ua.is_empty() || ua == "-" || bots.is_bot(ua)
}

/// The request target's path (no query or fragment), percent-decoded, into `out`; false when
/// it is not a path (`*`, an absolute URL of a proxy request, bad UTF-8).
fn decode_path(target: &[u8], out: &mut String) -> bool {
    out.clear();
    let end = target
        .iter()
        .position(|&b| b == b'?' || b == b'#')
        .unwrap_or(target.len());
    let raw = &target[..end];
    if raw.first() != Some(&b'/') {
        return false;
    }
    if !raw.contains(&b'%') {
        return match std::str::from_utf8(raw) {
            Ok(s) => {
                out.push_str(s);
                true
            }
            Err(_) => false,
        };
    }
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if raw[i] == b'%'
            && i + 2 < raw.len()
            && let (Some(h), Some(l)) = (hex(raw[i + 1]), hex(raw[i + 2]))
        {
            bytes.push((h * 16 + l) as u8);
            i += 3;
        } else {
            bytes.push(raw[i]);
            i += 1;
        }
    }
    match String::from_utf8(bytes) {
        Ok(s) => {
            out.push_str(&s);
            true
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::parse::parse;

    const PHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    const PC: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
    const GOOGLE: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    fn site() -> Site {
        // r1: 5 page groups, the middle page in group 3, the last in group 4
        Site::fake("/hokoku/", &[("r1", 5, 3, 4), ("r2", 5, 3, 4)])
    }

    /// A log line at `hh:mm` on a day of 2024 (`04-01`), in Japan's time.
    fn log(
        host: &str,
        day: &str,
        hhmm: &str,
        method: &str,
        path: &str,
        status: u16,
        ua: &str,
    ) -> String {
        let (m, d) = day.split_once('-').unwrap();
        let mon = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ][m.parse::<usize>().unwrap() - 1];
        let year = if m.parse::<u8>().unwrap() >= 4 {
            2024
        } else {
            2025
        };
        format!(
            r#"{host} - - [{d}/{mon}/{year}:{hhmm}:00 +0900] "{method} {path} HTTP/1.1" {status} 1000 "-" "{ua}""#
        )
    }

    fn run<'a>(site: &'a Site, lines: &[String], period: Option<(i32, i32)>) -> Counter<'a> {
        let mut c = Counter::new(site, period);
        for l in lines {
            match parse(l.as_bytes()) {
                Ok(line) => c.line(&line),
                Err(_) => c.malformed(),
            }
        }
        c.finish();
        c
    }

    fn total(c: &Counter, it: u32) -> u64 {
        c.cells
            .iter()
            .filter(|((_, i), _)| *i == it)
            .map(|(_, n)| n)
            .sum()
    }

    #[test]
    fn a_visit_ends_after_30_minutes_of_silence() {
        let s = site();
        let pdf = "/hokoku/r1/r1.pdf";
        let c = run(
            &s,
            &[
                log("192.0.2.1", "04-01", "10:00", "GET", pdf, 200, PHONE),
                // the same reader 29 minutes later: the same visit
                log("192.0.2.1", "04-01", "10:29", "GET", pdf, 200, PHONE),
                // 29 minutes after that (58 after the first): still one visit, the pause counts
                log("192.0.2.1", "04-01", "10:58", "GET", pdf, 200, PHONE),
                // 31 minutes of silence: a new visit
                log("192.0.2.1", "04-01", "11:29", "GET", pdf, 200, PHONE),
                // another agent at the same address (a second person behind one router)
                log("192.0.2.1", "04-01", "11:29", "GET", pdf, 200, PC),
                // another address with the same agent
                log("192.0.2.2", "04-01", "11:29", "GET", pdf, 200, PHONE),
            ],
            None,
        );
        assert_eq!(total(&c, item(0, Kind::Pdf)), 4);
    }

    #[test]
    fn ranges_are_one_download_and_304_or_errors_none() {
        let s = site();
        let pdf = "/hokoku/r1/r1.pdf";
        let mut lines = vec![log("192.0.2.1", "04-01", "10:00", "GET", pdf, 200, PC)];
        for _ in 0..40 {
            lines.push(log("192.0.2.1", "04-01", "10:00", "GET", pdf, 206, PC));
        }
        // a viewer that asked only for ranges
        lines.push(log("192.0.2.3", "04-01", "10:00", "GET", pdf, 206, PHONE));
        // not downloads: the browser's copy was still good, a failure, a HEAD
        lines.push(log("192.0.2.4", "04-01", "10:00", "GET", pdf, 304, PHONE));
        lines.push(log("192.0.2.5", "04-01", "10:00", "GET", pdf, 404, PHONE));
        lines.push(log("192.0.2.6", "04-01", "10:00", "GET", pdf, 500, PHONE));
        lines.push(log("192.0.2.7", "04-01", "10:00", "HEAD", pdf, 200, PHONE));
        lines.push(log("192.0.2.8", "04-01", "10:00", "GET", pdf, 416, PHONE));
        // the reader opened again from the browser's cache is an opening
        lines.push(log(
            "192.0.2.4",
            "04-01",
            "10:00",
            "GET",
            "/hokoku/r1/reader/",
            304,
            PHONE,
        ));
        let c = run(&s, &lines, None);
        assert_eq!(total(&c, item(0, Kind::Pdf)), 2);
        assert_eq!(total(&c, item(0, Kind::Reader)), 1);
    }

    #[test]
    fn how_far_readers_went() {
        let s = site();
        let g = |host: &str, n: u16| {
            log(
                host,
                "04-01",
                "10:00",
                "GET",
                &format!("/hokoku/r1/reader/pages/{n}.js"),
                200,
                PHONE,
            )
        };
        let open = |host: &str| {
            log(
                host,
                "04-01",
                "10:00",
                "GET",
                "/hokoku/r1/reader/index.html",
                200,
                PHONE,
            )
        };
        let lines = vec![
            open("192.0.2.1"),
            g("192.0.2.1", 0),
            g("192.0.2.1", 1),
            g("192.0.2.1", 2),
            open("192.0.2.2"),
            g("192.0.2.2", 0),
            g("192.0.2.2", 3),
            open("192.0.2.3"),
            g("192.0.2.3", 4),
            g("192.0.2.3", 0),
            // page groups of the other report are that report's
            g("192.0.2.3", 2).replace("/r1/", "/r2/"),
        ];
        let c = run(&s, &lines, None);
        assert_eq!(total(&c, item(0, Kind::Reader)), 3);
        assert_eq!(total(&c, 16 * 0 + MIDDLE), 2);
        assert_eq!(total(&c, 16 * 0 + END), 1);
        assert_eq!(total(&c, 16 + MIDDLE), 0);
    }

    #[test]
    fn crawlers_are_left_out_by_agent_and_by_robots_txt() {
        let s = site();
        let lines = vec![
            log(
                "192.0.2.9",
                "04-01",
                "09:59",
                "GET",
                "/robots.txt",
                200,
                GOOGLE,
            ),
            log(
                "192.0.2.9",
                "04-01",
                "10:00",
                "GET",
                "/hokoku/r1/r1.pdf",
                200,
                GOOGLE,
            ),
            log(
                "192.0.2.9",
                "04-01",
                "10:00",
                "GET",
                "/hokoku/r1/r1.epub",
                200,
                GOOGLE,
            ),
            log(
                "192.0.2.10",
                "04-01",
                "10:00",
                "GET",
                "/hokoku/r1/r1.pdf",
                200,
                "curl/8.5.0",
            ),
            log(
                "192.0.2.11",
                "04-01",
                "10:00",
                "GET",
                "/hokoku/r1/r1.pdf",
                200,
                "-",
            ),
            // a browser-like agent that asks for robots.txt first is a robot
            log(
                "192.0.2.12",
                "04-01",
                "10:00",
                "GET",
                "/robots.txt",
                404,
                PC,
            ),
            log(
                "192.0.2.12",
                "04-01",
                "10:01",
                "GET",
                "/hokoku/r1/r1.pdf",
                200,
                PC,
            ),
            // …and so is its next visit, an hour later
            log(
                "192.0.2.12",
                "04-01",
                "11:30",
                "GET",
                "/hokoku/r1/r1.pdf",
                200,
                PC,
            ),
            // a reader
            log(
                "192.0.2.13",
                "04-01",
                "10:00",
                "GET",
                "/hokoku/r1/r1.pdf",
                200,
                PC,
            ),
        ];
        let c = run(&s, &lines, None);
        assert_eq!(total(&c, item(0, Kind::Pdf)), 1);
        assert_eq!(total(&c, LEFT_AGENT), 3);
        assert_eq!(total(&c, LEFT_ROBOTS), 2);
        assert_eq!(total(&c, LEFT_REQUESTS), 6);
    }

    #[test]
    fn only_this_sites_paths_count() {
        let s = site();
        let lines = vec![
            log("192.0.2.1", "04-01", "10:00", "GET", "/r1/r1.pdf", 200, PC),
            log("192.0.2.1", "04-01", "10:00", "GET", "/blog/", 200, PC),
            log(
                "192.0.2.1",
                "04-01",
                "10:00",
                "GET",
                "/hokoku/r9/r9.pdf",
                404,
                PC,
            ),
            log(
                "192.0.2.1",
                "04-01",
                "10:00",
                "GET",
                "/hokoku/r2/r2.pdf?utm=x",
                200,
                PC,
            ),
            log(
                "192.0.2.1",
                "04-01",
                "10:00",
                "GET",
                "/hokoku/%72%32/r2.epub",
                200,
                PC,
            ),
            log("192.0.2.1", "04-01", "10:00", "GET", "/hokoku/", 200, PC),
            log(
                "192.0.2.1",
                "04-01",
                "10:00",
                "GET",
                "/hokoku/search/i1.js",
                200,
                PC,
            ),
            log(
                "192.0.2.1",
                "04-01",
                "10:00",
                "GET",
                "/hokoku/search/i2.js",
                200,
                PC,
            ),
        ];
        let c = run(&s, &lines, None);
        assert_eq!(c.lines.other_site, 3);
        assert_eq!(total(&c, item(1, Kind::Pdf)), 1);
        assert_eq!(total(&c, item(1, Kind::Epub)), 1);
        assert_eq!(total(&c, CATALOG), 1);
        assert_eq!(total(&c, SEARCH), 1);
        // the report files were asked for under `/`: the hint names it
        assert_eq!(c.other_bases.get("/"), Some(&1));
    }

    #[test]
    fn months_and_the_period() {
        let s = site();
        let pdf = "/hokoku/r1/r1.pdf";
        let lines = vec![
            log("192.0.2.1", "03-31", "23:50", "GET", pdf, 200, PC),
            log("192.0.2.2", "04-01", "00:10", "GET", pdf, 200, PC),
            log("192.0.2.3", "03-31", "12:00", "GET", pdf, 200, PC),
        ];
        let c = run(&s, &lines, None);
        // 31 March 2025 and 1 April 2024 (the helper's years): months 2025-03 and 2024-04
        assert_eq!(c.cells.get(&(2025 * 12 + 2, item(0, Kind::Pdf))), Some(&2));
        assert_eq!(c.cells.get(&(2024 * 12 + 3, item(0, Kind::Pdf))), Some(&1));
        let c = run(&s, &lines, Some((20240401, 20240401)));
        assert_eq!(total(&c, item(0, Kind::Pdf)), 1);
        assert_eq!(c.lines.outside_period, 2);
    }

    #[test]
    fn memory_stays_bounded_by_the_visits_open_at_once() {
        let s = site();
        let mut c = Counter::new(&s, None);
        // 20,000 different clients, one a minute for two weeks: at most 31 visits are open
        for i in 0..20_000i64 {
            let (d, h, m) = (1 + i / 1440, (i / 60) % 24, i % 60);
            let l = format!(
                r#"10.0.{}.{} - - [{d:02}/Apr/2024:{h:02}:{m:02}:00 +0900] "GET /hokoku/r1/r1.pdf HTTP/1.1" 200 1 "-" "{PC}""#,
                i / 256,
                i % 256
            );
            c.line(&parse(l.as_bytes()).unwrap());
            assert!(c.open_visits() <= 32, "{} visits open", c.open_visits());
        }
        c.finish();
        assert_eq!(total(&c, item(0, Kind::Pdf)), 20_000);
    }

    #[test]
    fn paths_decode() {
        let mut s = String::new();
        assert!(decode_path(b"/a%20b/%E5%A0%B1?x=%ZZ", &mut s));
        assert_eq!(s, "/a b/報");
        assert!(!decode_path(b"*", &mut s));
        assert!(!decode_path(b"http://x/", &mut s));
        assert!(!decode_path(b"/%FF", &mut s));
        assert!(decode_path(b"/%", &mut s));
        assert_eq!(s, "/%");
    }
}
