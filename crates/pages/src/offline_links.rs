//! The links of a report read away from the site, as one HTML file or a PDF. A link to a page of
//! the site (`href="/countries/SYR"`) leads to the site's public address when one is set, and is
//! otherwise taken out, its text kept: resolved against a file or a printing browser's loopback
//! address it would lead nowhere. Links within the document (`#…`) and elsewhere stay.

use crate::site_url::SiteUrl;

/// `html` with its links to the site's pages made to lead to `site`, or unlinked without one.
/// Reads the markup this crate writes, whose attribute values are escaped: a `>` or a `"` inside
/// a tag can only end it or its value.
pub(crate) fn offline_links(html: &str, site: Option<&SiteUrl>) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    // Anchors do not nest, so an unlinked anchor ends at the next `</a>`.
    let mut unlinked_open = false;
    while let Some(at) = next_tag(rest, unlinked_open) {
        let (before, tag_and_after) = rest.split_at(at);
        out.push_str(before);
        if unlinked_open {
            rest = &tag_and_after["</a>".len()..];
            unlinked_open = false;
            continue;
        }
        let Some(end) = tag_and_after.find('>') else {
            rest = tag_and_after;
            break;
        };
        let (tag, after) = tag_and_after.split_at(end + 1);
        rest = after;
        match (site_href(tag), site) {
            (None, _) => out.push_str(tag),
            (Some(value_at), Some(site)) => {
                out.push_str(&tag[..value_at]);
                out.push_str(site.as_str());
                out.push_str(&tag[value_at..]);
            }
            (Some(_), None) => unlinked_open = true,
        }
    }
    out.push_str(rest);
    out
}

/// Where the next anchor opens, or, in an unlinked anchor, where it closes.
fn next_tag(html: &str, unlinked_open: bool) -> Option<usize> {
    if unlinked_open {
        return html.find("</a>");
    }
    html.match_indices("<a")
        .find(|(at, _)| {
            html[at + 2..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_whitespace())
        })
        .map(|(at, _)| at)
}

/// In an anchor's opening tag, where its `href` value starts when it is a path on the site
/// (`/…`, not `//host/…`).
fn site_href(tag: &str) -> Option<usize> {
    let at = tag.find(" href=\"")? + " href=\"".len();
    let value = &tag[at..];
    (value.starts_with('/') && !value.starts_with("//")).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = concat!(
        r##"<p><a href="/countries/SYR">Syria</a> and <a class="x" href="/pledges?q=a&amp;b=1" download>pledges</a>, "##,
        r##"<a href="#sources">sources</a>, <a href="https://www.unhcr.org/">UNHCR</a>, <a href="//cdn">x</a>; "##,
        r##"<abbr title="a">A</abbr> <svg><a href="/countries/TUR"><circle/></a></svg></p>"##
    );

    #[test]
    fn with_a_site_its_pages_are_linked_there_and_other_links_stay() {
        let site = SiteUrl::parse("https://passage.example.org/").unwrap();
        assert_eq!(
            offline_links(DOC, Some(&site)),
            concat!(
                r##"<p><a href="https://passage.example.org/countries/SYR">Syria</a> and <a class="x" href="https://passage.example.org/pledges?q=a&amp;b=1" download>pledges</a>, "##,
                r##"<a href="#sources">sources</a>, <a href="https://www.unhcr.org/">UNHCR</a>, <a href="//cdn">x</a>; "##,
                r##"<abbr title="a">A</abbr> <svg><a href="https://passage.example.org/countries/TUR"><circle/></a></svg></p>"##
            )
        );
    }

    #[test]
    fn without_a_site_its_pages_are_unlinked_and_their_text_kept() {
        assert_eq!(
            offline_links(DOC, None),
            concat!(
                r##"<p>Syria and pledges, "##,
                r##"<a href="#sources">sources</a>, <a href="https://www.unhcr.org/">UNHCR</a>, <a href="//cdn">x</a>; "##,
                r##"<abbr title="a">A</abbr> <svg><circle/></svg></p>"##
            )
        );
    }

    #[test]
    fn markup_without_site_links_is_unchanged_and_a_cut_off_tag_is_kept() {
        for html in [
            "",
            "<p>no links</p>",
            "<a href=\"#x\">x</a>",
            "<a href=\"/cut",
            "<a",
        ] {
            assert_eq!(
                offline_links(html, None).trim_end(),
                html.trim_end(),
                "{html}"
            );
        }
    }
}
