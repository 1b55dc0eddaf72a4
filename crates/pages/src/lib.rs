//! Passage's web pages: the dashboard, countries, indicators, maps, the compacts' objectives,
//! claims, pledges and releases, rendered on the server as HTML with inline SVG and complete
//! without JavaScript. Every page has `.json` and `.csv` twins, every chart an `.svg`, a `.png`
//! and an embed, all cut from the same [`Page`]. The pages read a [`Site`], which the server
//! implements over the same objects as its APIs.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod choropleth_figure;
mod claims;
mod compacts;
mod countries;
mod country;
mod error;
mod feeds;
mod home;
mod incidents;
mod indicators;
mod iom_names;
mod large;
mod layout;
mod map;
mod names;
mod negotiation;
mod negotiation_diff;
mod objectives;
mod offline_links;
mod page;
mod pledges;
mod positions;
mod query;
mod releases;
mod report;
mod route;
mod search;
mod series_figure;
mod site;
mod site_url;
mod table;
mod verdicts;

pub use error::PageError;
pub use layout::error_document;
pub use negotiation::{group_pledges, GroupPledges};
pub use negotiation_diff::diff_document;
pub use page::{Chart, Page};
pub use route::{is_page_path, is_static, respond, Response};
pub use site::Site;
pub use site_url::{SiteUrl, SiteUrlError};
pub use table::{Cell, DataTable, Row};
