//! Placeholders while the chart modules are written in parallel; removed when they land.
#![allow(missing_docs)]

use crate::spec::*;

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("png rendering is not available yet")]
    Pending,
}

fn svg(id: &str, title: &str, body: String) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 300" width="640" height="300" role="img" aria-labelledby="{id}-title {id}-desc" class="chart"><title id="{id}-title">{}</title><desc id="{id}-desc">pending</desc>{body}</svg>"#,
        crate::escape(title)
    )
}

pub fn series_chart(c: &SeriesChart) -> String {
    svg(
        &c.frame.id,
        &c.frame.title,
        format!("<text x=\"10\" y=\"20\">{} lines</text>", c.lines.len()),
    )
}
pub fn bar_chart(c: &BarChart) -> String {
    svg(
        &c.frame.id,
        &c.frame.title,
        format!("<text x=\"10\" y=\"20\">{} bars</text>", c.bars.len()),
    )
}
pub fn timeline(c: &Timeline) -> String {
    svg(
        &c.frame.id,
        &c.frame.title,
        format!("<text x=\"10\" y=\"20\">{} years</text>", c.years.len()),
    )
}
pub fn choropleth(c: &Choropleth) -> (String, Vec<LegendClass>) {
    (svg(&c.frame.id, &c.frame.title, String::new()), Vec::new())
}
pub fn point_map(c: &PointMap) -> String {
    svg(&c.frame.id, &c.frame.title, String::new())
}
pub fn png(_svg: &str, _scale: f32) -> Result<Vec<u8>, ChartError> {
    Err(ChartError::Pending)
}
