//! `/claims` and `/claims/{id}`: public statements tested against the data: the sentence, where
//! it is heard, the verdict on the active release and the figures behind it, the verdict year by
//! year as a timeline, and its history across releases.

use maud::html;
use passage_charts::{exact, timeline, Timeline, Verdict};
use passage_claims::Outcome;

use crate::page::{Builder, Figure, Page};
use crate::series_figure::frame;
use crate::table::{Cell, DataTable};
use crate::verdicts::badge;
use crate::{PageError, Site};

fn verdict(o: Outcome) -> Verdict {
    match o {
        Outcome::True => Verdict::Holds,
        Outcome::False => Verdict::Fails,
        Outcome::Undetermined => Verdict::Unknown,
    }
}

fn words(o: Outcome) -> &'static str {
    match o {
        Outcome::True => "holds",
        Outcome::False => "does not hold",
        Outcome::Undetermined => "cannot say",
    }
}

/// Every claim with its verdict.
pub fn claims(site: &dyn Site) -> Result<Page, PageError> {
    let mut b = Builder::new(site, "/claims", "");
    let mut t = DataTable::new(
        "claims",
        "Claims and their verdicts on this release",
        &[
            ("claim", "Claim"),
            ("verdict", "Verdict"),
            ("year", "Year read"),
            ("explanation", "Why"),
        ],
    );
    for c in site.claims()? {
        let e = site.evaluation(&c);
        t.push(
            vec![
                Cell::Link(c.text.clone(), format!("/claims/{}", c.id)),
                Cell::Text(words(e.verdict.outcome).into()),
                Cell::Text(e.verdict.year.map(|y| y.to_string()).unwrap_or_default()),
                Cell::Text(e.verdict.explanation.clone()),
            ],
            e.verdict.year,
            None,
        );
    }
    let table = b.table(t);
    let body = html! {
        p.lead { "Statements heard in debates on refugees and migration, each decided by a test on the official figures, and checked again at every new release." }
        (table)
    };
    Ok(b.finish("Claims", body))
}

/// One claim.
pub fn claim(site: &dyn Site, id: &str) -> Result<Page, PageError> {
    let claim = site
        .claims()?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| PageError::NotFound(format!("no claim `{id}`; see /claims")))?;
    let e = site.evaluation(&claim);
    let mut b = Builder::new(site, &format!("/claims/{id}"), "");
    let title = "The verdict, data year by data year";
    let mut t = DataTable::new(
        "timeline",
        title,
        &[("year", "Year"), ("verdict", "Verdict")],
    );
    for (y, o) in e.timeline.iter().rev() {
        t.push(
            vec![Cell::Text(y.to_string()), Cell::Text(words(*o).into())],
            Some(*y),
            None,
        );
    }
    let mut f = frame("timeline", title, "", 0);
    f.height = 120;
    let datasets: Vec<_> = claim
        .test
        .operands()
        .iter()
        .filter_map(|o| site.engine().indicator(&o.indicator).ok())
        .flat_map(|i| i.sources())
        .collect();
    let fig = b.figure(Figure {
        id: "timeline".into(),
        title: title.into(),
        svg: timeline(&Timeline {
            frame: f,
            years: e.timeline.iter().map(|(y, o)| (*y, verdict(*o))).collect(),
        }),
        table: t,
        datasets,
        caveats: vec![],
        subject: claim.text.clone(),
    });
    let history: Vec<_> = site
        .verdict_history()?
        .into_iter()
        .filter(|r| r.evaluation.claim == id)
        .collect();
    let mut obs = DataTable::new(
        "figures",
        "The figures the verdict rests on",
        &[
            ("figure", "Figure"),
            ("year", "Year"),
            ("value", "Value"),
            ("unit", "Unit"),
            ("rank", "Rank"),
            ("period", "Reference period"),
        ],
    );
    for o in &e.verdict.observations {
        obs.push(
            vec![
                Cell::Text(o.operand.clone()),
                Cell::Text(o.year.map(|y| y.to_string()).unwrap_or_default()),
                Cell::Number(o.value, if o.unit == "persons" { 0 } else { 2 }),
                Cell::Text(o.unit.clone()),
                Cell::Text(o.rank.map(|r| r.to_string()).unwrap_or_default()),
                Cell::Text(o.period.clone().unwrap_or_else(|| "end of year".into())),
            ],
            o.year,
            None,
        );
    }
    let figures = b.table(obs);
    let body = html! {
        blockquote { p { "“" (claim.text) "”" } }
        p { (claim.context) }
        p { "On release " code { (e.release) } ", the claim " (badge(e.verdict.outcome)) ": " (e.verdict.explanation) }
        h2 { "The figures" }
        (figures)
        h2 { "Year by year" }
        (fig)
        h2 { "Across releases" }
        @if history.is_empty() { p { "No verdict has been recorded yet: verdicts are recorded at each sync and activation." } }
        ol { @for r in &history {
            li { code { (r.evaluation.release) } ", " (r.evaluated_at.get(..10).unwrap_or("")) ": " (badge(r.evaluation.verdict.outcome))
                @if let Some(o) = r.evaluation.verdict.observations.first() { " (" (o.operand) ": " (o.value.map(|v| exact(v, 0)).unwrap_or_else(|| "not available".into())) ")" } }
        } }
        @if !claim.tags.is_empty() { p { "Tags: " (claim.tags.join(", ")) } }
        p { a href=(format!("/api/v1/claims/{id}")) { "This claim in the API" } }
    };
    Ok(b.finish(format!("Claim: {}", claim.text), body))
}
