//! `/search?q=`: countries, indicators, claims and pledges whose names or words contain the text,
//! as a plain GET form that works without JavaScript.

use maud::html;

use crate::page::{Builder, Page};
use crate::query::{canonical, Params};
use crate::table::{Cell, DataTable};
use crate::{PageError, Site};

/// Results shown of each kind.
const PER_KIND: usize = 50;

/// The search page.
pub fn search(site: &dyn Site, params: &Params) -> Result<Page, PageError> {
    let raw = params.get("q").unwrap_or("");
    let q = raw.to_lowercase();
    let release = site.release();
    let mut t = DataTable::new(
        "results",
        &format!("Results for “{raw}”"),
        &[("kind", "Kind"), ("title", "Title"), ("detail", "Detail")],
    );
    if !q.is_empty() {
        let hit = |s: &str| s.to_lowercase().contains(&q);
        let mut countries: Vec<_> = release
            .countries()
            .countries()
            .iter()
            .filter(|c| {
                c.special.is_none() && (hit(&c.name) || c.iso3.as_str().eq_ignore_ascii_case(&q))
            })
            .collect();
        countries.sort_by(|a, b| a.name.cmp(&b.name));
        for c in countries.into_iter().take(PER_KIND) {
            t.push(
                vec![
                    Cell::Text("country".into()),
                    Cell::Link(c.name.clone(), crate::names::country_href(c.iso3.as_str())),
                    Cell::Text(c.iso3.as_str().into()),
                ],
                None,
                Some(c.iso3.as_str()),
            );
        }
        for i in site
            .engine()
            .catalogue
            .indicators
            .iter()
            .filter(|i| hit(&i.title) || hit(&i.id) || hit(&i.definition))
            .take(PER_KIND)
        {
            t.push(
                vec![
                    Cell::Text("indicator".into()),
                    Cell::Link(i.title.clone(), format!("/indicators/{}", i.id)),
                    Cell::Text(i.unit.clone()),
                ],
                None,
                None,
            );
        }
        for c in site
            .claims()?
            .into_iter()
            .filter(|c| hit(&c.text) || hit(&c.context) || c.tags.iter().any(|t| hit(t)))
            .take(PER_KIND)
        {
            t.push(
                vec![
                    Cell::Text("claim".into()),
                    Cell::Link(c.text.clone(), format!("/claims/{}", c.id)),
                    Cell::Text(c.tags.join(", ")),
                ],
                None,
                None,
            );
        }
        let snapshot = site.registry().snapshot()?;
        for p in snapshot
            .pledges
            .iter()
            .map(|r| &r.pledge)
            .filter(|p| hit(&p.item.title) || hit(&p.item.description) || hit(&p.item.entity))
            .take(PER_KIND)
        {
            t.push(
                vec![
                    Cell::Text("pledge".into()),
                    Cell::Link(p.item.title.clone(), format!("/pledges/{}", p.item.id)),
                    Cell::Text(p.item.entity.clone()),
                ],
                None,
                None,
            );
        }
    }
    let mut b = Builder::new(site, "/search", &canonical(&[("q", raw)]));
    let count = t.rows.len();
    let table = b.table(t);
    let body = html! {
        form.controls action="/search" method="get" {
            label for="search-q" { "Countries, indicators, claims and pledges containing" input id="search-q" type="search" name="q" value=(raw); }
            button type="submit" { "Search" }
        }
        @if q.is_empty() { p { "Type a word: a country (“Syria”, “SYR”), a topic (“resettlement”), a claim's words." } }
        @else { p { (count) " results." } (table) }
    };
    Ok(b.finish("Search", body))
}
