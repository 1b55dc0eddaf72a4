//! Reports read as a person would, with poppler: the PDF's text holds the exact figures the native
//! API gives for the same release, the release id and every source's attribution; every font is
//! embedded; page size as asked; bad input is a clear error that leaves nothing behind.

use std::process::Command;
use std::sync::OnceLock;

use crate::{passage, run_err, run_ok};

/// A store synced from the shared data, shared by these tests.
fn store() -> &'static std::path::Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| crate::sync_shared_data_into(crate::lasting_tempdir()))
        .path()
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils) is needed: {e}"));
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The figure of an indicator for a country and role in a year, from the engine the API uses.
fn figure(indicator: &str, country: &str, role: &str, year: i16) -> Option<f64> {
    let s = passage_store::Store::open(store()).unwrap();
    let release = s.load_active().unwrap();
    let engine = passage_indicators::Engine::builtin().unwrap();
    let place = passage_indicators::Place::country(country, "country").unwrap();
    let series = engine
        .evaluate(
            &release,
            &passage_indicators::Request::new(
                indicator,
                place,
                passage_indicators::Role::parse(role),
            ),
        )
        .unwrap();
    series.at(year).and_then(|p| p.value)
}

fn grouped(v: f64) -> String {
    let digits = format!("{}", v.round() as i64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn a_country_report_holds_the_apis_figures_its_release_and_its_sources() {
    let dir = tempfile::tempdir().unwrap();
    for (country, paper, size) in [
        ("SYR", "a4", "595.92 x 841.92"),
        ("DEU", "letter", "612 x 792"),
    ] {
        let out = dir.path().join(format!("{country}.pdf"));
        // Syria's with the site's public address set, Germany's without.
        let site = (country == "SYR").then_some("https://passage.example.org/");
        let mut report = passage(store());
        if let Some(site) = site {
            report.env("PASSAGE_SITE_URL", site);
        }
        run_ok(
            report
                .args(["report", "country", country, "--paper", paper, "--out"])
                .arg(&out),
        );
        let path = out.to_str().unwrap();
        // The links out of a PDF lead to the site's pages where it is published, or are not
        // there: never to the loopback address the report was printed from.
        let bytes = std::fs::read(&out).unwrap();
        let uris = |prefix: &str| {
            bytes
                .windows(prefix.len())
                .filter(|w| *w == prefix.as_bytes())
                .count()
        };
        assert_eq!(
            uris("/URI (http://127.0.0.1"),
            0,
            "{country}: loopback links"
        );
        match site {
            Some(_) => assert!(
                uris("/URI (https://passage.example.org/countries/") > 3,
                "{country}: links to the site's country pages"
            ),
            None => assert_eq!(uris("/URI ("), 0, "{country}: links to nowhere"),
        }
        let info = tool("pdfinfo", &[path]);
        assert!(info.contains(size), "{country}: {info}");
        assert!(info.contains("Tagged:          yes"), "{info}");
        // A report a person reads: Syria's ran to 85 pages before its print layout.
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("{country}: no page count in {info}"));
        assert!((8..=32).contains(&pages), "{country}: {pages} pages");
        let fonts = tool("pdffonts", &[path]);
        for line in fonts.lines().skip(2) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            assert!(
                cols.len() > 4 && cols[cols.len() - 5] == "yes",
                "a font not embedded: {line}"
            );
            // One family, whose licence the repository records (crates/charts/fonts).
            assert!(
                cols.first()
                    .is_some_and(|name| name.contains("+DejaVuSans")),
                "a font other than DejaVu: {line}"
            );
        }
        let images = tool("pdfimages", &["-list", path]);
        assert_eq!(
            images.lines().count(),
            2,
            "charts are vectors, not images: {images}"
        );
        let text = tool("pdftotext", &["-layout", path, "-"]);
        assert!(
            text.contains(&crate::active_release(store())),
            "{country}: the release id"
        );
        // How it voted on the two resolutions, from the release's recorded votes.
        assert!(
            text.contains("Votes and positions on the compacts")
                && text.contains("A/RES/73/195 (2018-12-19): voted yes"),
            "{country}: its votes"
        );
        for (indicator, role) in [
            ("refugees", "host"),
            ("refugees", "origin"),
            ("asylum_seekers", "host"),
        ] {
            let v = figure(indicator, country, role, 2024)
                .unwrap_or_else(|| panic!("{country} {indicator} {role} 2024"));
            assert!(
                text.contains(&grouped(v)),
                "{country}: {indicator} as {role} in 2024 ({}) is in the report",
                grouped(v)
            );
        }
        for attribution in [
            "UNHCR Refugee Data Finder",
            "Internal Displacement Monitoring Centre",
            "IOM Missing Migrants Project",
            "World Bank",
        ] {
            assert!(
                text.contains(attribution),
                "{country}: {attribution} is credited"
            );
        }
        assert!(text.contains("Page 1 of"), "page numbers in the footer");
    }
}

#[test]
fn bad_report_requests_are_clear_errors_that_leave_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.pdf");
    let e = run_err(
        passage(store())
            .args(["report", "country", "ZZZ", "--out"])
            .arg(&out),
    );
    assert_eq!(e.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&e.stderr).contains("ZZZ"),
        "{}",
        String::from_utf8_lossy(&e.stderr)
    );
    let e = run_err(
        passage(store())
            .args(["report", "release", "r000000000000", "--out"])
            .arg(&out),
    );
    assert!(String::from_utf8_lossy(&e.stderr).contains("r000000000000"));
    let e = run_err(
        passage(store())
            .env("PASSAGE_CHROMIUM", dir.path().join("no-browser"))
            .args(["report", "country", "SYR", "--out"])
            .arg(&out),
    );
    assert_eq!(e.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&e.stderr).contains("no Chromium found"));
    let e = run_err(
        passage(store())
            .args(["report", "compact", "gcm", "--format", "html", "--out"])
            .arg(dir.path().join("missing/gcm.html")),
    );
    assert!(String::from_utf8_lossy(&e.stderr).contains("cannot write"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing half-written"
    );
}

#[test]
fn a_one_file_report_links_to_the_site_where_it_is_published_and_cites_it_there() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("SYR.html");
    run_ok(
        passage(store())
            .env("PASSAGE_SITE_URL", "https://passage.example.org")
            .args(["report", "country", "SYR", "--format", "html", "--out"])
            .arg(&out),
    );
    let html = std::fs::read_to_string(&out).unwrap();
    let site = "https://passage.example.org";
    assert!(!html.contains(r#"href="/"#), "a link relative to no site");
    assert!(html.contains(&format!(r#"href="{site}/countries/IRQ""#)));
    // The figures' citations and the report's own give the whole address.
    assert!(
        html.contains(&format!("{site}/reports/countries/SYR#fig-top-origins.")),
        "a figure's citation"
    );
    // The report's own names its providers after the address.
    assert!(html.contains(&format!("{site}/reports/countries/SYR. Data: ")));
    assert!(html.contains("UNHCR Refugee Data Finder"));
    assert!(!html.contains(r#"class="report offline""#));
}

#[test]
fn the_same_release_gives_the_same_report_text() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.pdf"), dir.path().join("b.pdf"));
    for out in [&a, &b] {
        run_ok(
            passage(store())
                .args(["report", "compact", "gcr", "--out"])
                .arg(out),
        );
    }
    let text = |p: &std::path::Path| tool("pdftotext", &[p.to_str().unwrap(), "-"]);
    assert_eq!(text(&a), text(&b));
    let html = dir.path().join("gcr.html");
    run_ok(
        passage(store())
            .args(["report", "compact", "gcr", "--format", "html", "--out"])
            .arg(&html),
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("Sources and licences") && page.contains("Objective 4"));
    // Read from a USB stick, the file has its stylesheet and script inside it.
    assert!(page.contains("<style>") && page.contains("table.data caption"));
    assert!(
        !page.contains("/assets/"),
        "the file links to the server's assets"
    );
    assert!(page.contains("document.body.appendChild(readout)"));
}

#[test]
fn reports_printed_one_after_another_in_the_same_tabs_are_each_their_own() {
    // Four reports on two tabs: each tab prints a second report after its first, and a tab that
    // kept the last report's page (or its load event) would write another country's figures.
    let dir = tempfile::tempdir().unwrap();
    let countries = ["SYR", "TUR", "DEU", "COL"];
    let mut args = vec!["report", "country"];
    args.extend(countries);
    args.push("--out");
    run_ok(passage(store()).args(&args).arg(dir.path()));
    let release = passage_store::Store::open(store())
        .unwrap()
        .load_active()
        .unwrap();
    let name = |code: &str| {
        let code =
            passage_domain::CountryCode::parse(passage_domain::CodeSystem::Iso, code).unwrap();
        release.countries().get(code).unwrap().name.clone()
    };
    for country in countries {
        let path = dir.path().join(format!("{country}.pdf"));
        let text = tool("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
        let hosted = figure("refugees", country, "host", 2024)
            .unwrap_or_else(|| panic!("{country} hosts refugees in 2024"));
        assert!(
            text.contains(&grouped(hosted)),
            "{country}.pdf holds {country}'s refugees hosted in 2024 ({})",
            grouped(hosted)
        );
        let title = tool("pdftotext", &["-l", "1", path.to_str().unwrap(), "-"]);
        for other in countries {
            let named = title.contains(&format!("{}:", name(other)));
            assert_eq!(
                named,
                other == country,
                "the title page of {country}.pdf names {other}: {title}"
            );
        }
    }
    let e = run_err(passage(store()).args(["report", "country", "SYR", "TUR"]));
    assert!(String::from_utf8_lossy(&e.stderr).contains("several countries need --out DIR"));
}

fn curl(args: &[&str]) -> (String, Vec<u8>) {
    let out = Command::new("curl")
        .args(["-s", "-D", "-"])
        .args(args)
        .output()
        .expect("curl");
    let text = out.stdout;
    let split = text
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(text.len(), |i| i + 4);
    (
        String::from_utf8_lossy(&text[..split]).into_owned(),
        text[split..].to_vec(),
    )
}

#[test]
fn the_server_prints_a_reports_pdf_once_per_release_and_closes_its_browser_when_it_stops() {
    let mut server = crate::server::Server::start(store());
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/reports/countries/SYR.pdf", server.url);
    let (head, body) = curl(&[&url]);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("content-type: application/pdf"), "{head}");
    assert!(head.contains("cache;desc=\"miss\""), "{head}");
    let pdf = dir.path().join("SYR.pdf");
    std::fs::write(&pdf, &body).unwrap();
    let path = pdf.to_str().unwrap();
    assert!(tool("pdfinfo", &[path]).contains("595.92 x 841.92"), "A4");
    let text = tool("pdftotext", &["-layout", path, "-"]);
    assert!(
        text.contains(&crate::active_release(store())),
        "the release id"
    );
    let hosted = figure("refugees", "SYR", "host", 2024).unwrap();
    assert!(
        text.contains(&grouped(hosted)),
        "Syria's refugees hosted in 2024"
    );
    // The same report again is the PDF kept, not printed again; the other paper is printed.
    let (head, again) = curl(&[&url]);
    assert!(head.contains("cache;desc=\"hit\""), "{head}");
    assert_eq!(again, body);
    let (head, letter) = curl(&[&format!("{url}?paper=letter")]);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let letter_pdf = dir.path().join("letter.pdf");
    std::fs::write(&letter_pdf, &letter).unwrap();
    assert!(tool("pdfinfo", &[letter_pdf.to_str().unwrap()]).contains("612 x 792"));
    // Errors are the page's, or name the parameter.
    let (head, _) = curl(&[&format!("{}/reports/countries/ZZZ.pdf", server.url)]);
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
    let (head, body) = curl(&[&format!("{url}?paper=a5")]);
    assert!(head.starts_with("HTTP/1.1 400"), "{head}");
    assert!(String::from_utf8_lossy(&body).contains("paper"));
    // The browser is the server's child: it ends with the server.
    let pid = server.child.id();
    let browsers = || {
        let out = Command::new("pgrep")
            .args(["-f", &format!("passage-print-{pid}-")])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).lines().count()
    };
    assert!(browsers() > 0, "the server's browser runs");
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while browsers() > 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(browsers(), 0, "no browser left once the server stopped");
    // Nor its profile: the browser's own process is gone before its profile is removed.
    let _ = server.child.wait();
    let prefix = format!("passage-print-{pid}-");
    let left: Vec<String> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(&prefix))
        .collect();
    assert!(left.is_empty(), "profiles left behind: {left:?}");
}
