//! The objectives of the two compacts, as adopted in 2018: their numbers and titles, and the
//! links to their pages. The titles are the compacts' own words.

use maud::{html, Markup};
use passage_indicators::{Framework, Objective};

/// The four objectives of the Global Compact on Refugees (paragraph 7).
pub const GCR: [&str; 4] = [
    "Ease the pressures on host countries",
    "Enhance refugee self-reliance",
    "Expand access to third-country solutions",
    "Support conditions in countries of origin for return in safety and dignity",
];

/// The twenty-three objectives of the Global Compact for Safe, Orderly and Regular Migration.
pub const GCM: [&str; 23] = [
    "Collect and utilize accurate and disaggregated data as a basis for evidence-based policies",
    "Minimize the adverse drivers and structural factors that compel people to leave their country of origin",
    "Provide accurate and timely information at all stages of migration",
    "Ensure that all migrants have proof of legal identity and adequate documentation",
    "Enhance availability and flexibility of pathways for regular migration",
    "Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work",
    "Address and reduce vulnerabilities in migration",
    "Save lives and establish coordinated international efforts on missing migrants",
    "Strengthen the transnational response to smuggling of migrants",
    "Prevent, combat and eradicate trafficking in persons in the context of international migration",
    "Manage borders in an integrated, secure and coordinated manner",
    "Strengthen certainty and predictability in migration procedures for appropriate screening, assessment and referral",
    "Use migration detention only as a measure of last resort and work towards alternatives",
    "Enhance consular protection, assistance and cooperation throughout the migration cycle",
    "Provide access to basic services for migrants",
    "Empower migrants and societies to realize full inclusion and social cohesion",
    "Eliminate all forms of discrimination and promote evidence-based public discourse to shape perceptions of migration",
    "Invest in skills development and facilitate mutual recognition of skills, qualifications and competences",
    "Create conditions for migrants and diasporas to fully contribute to sustainable development in all countries",
    "Promote faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants",
    "Cooperate in facilitating safe and dignified return and readmission, as well as sustainable reintegration",
    "Establish mechanisms for the portability of social security entitlements and earned benefits",
    "Strengthen international cooperation and global partnerships for safe, orderly and regular migration",
];

/// A compact's slug, short name, full name and objective titles.
pub fn compact(
    slug: &str,
) -> Option<(
    Framework,
    &'static str,
    &'static str,
    &'static [&'static str],
)> {
    match slug {
        "gcr" => Some((Framework::Gcr, "GCR", "Global Compact on Refugees", &GCR)),
        "gcm" => Some((
            Framework::Gcm,
            "GCM",
            "Global Compact for Safe, Orderly and Regular Migration",
            &GCM,
        )),
        _ => None,
    }
}

/// The title of an objective, when it is one of a compact's.
pub fn title(o: &Objective) -> Option<&'static str> {
    let n: usize = o.number.parse().ok()?;
    let list: &[&str] = match o.framework {
        Framework::Gcr => &GCR,
        Framework::Gcm => &GCM,
        Framework::Sdg => return None,
    };
    list.get(n.checked_sub(1)?).copied()
}

/// An objective as a link to its page (SDG indicators as text).
pub fn link(o: &Objective) -> Markup {
    let slug = match o.framework {
        Framework::Gcr => "gcr",
        Framework::Gcm => "gcm",
        Framework::Sdg => {
            return html! { span title="Sustainable Development Goal indicator" { (o.to_string()) } }
        }
    };
    html! { a href=(format!("/compacts/{slug}/objectives/{}", o.number)) title=[title(o)] { (o.to_string()) } }
}
