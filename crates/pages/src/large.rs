//! Large pieces of markup (a chart, a table of thousands of rows, a page's body) placed in a
//! template with room made for them first, so the template's buffer grows once instead of
//! doubling and copying itself over and over; and the room for all of a template's large pieces
//! at once, made before the first of them.

use maud::Render;

/// Already-escaped markup that reserves its length in the buffer it is rendered into.
pub(crate) struct Large<'a>(pub(crate) &'a str);

/// What the buffer keeps free after a large piece, for the small markup that follows it.
const SLACK: usize = 4096;

impl Render for Large<'_> {
    fn render_to(&self, buffer: &mut String) {
        buffer.reserve(self.0.len() + SLACK);
        buffer.push_str(self.0);
    }
}

/// Room for `0` more bytes in the buffer of the template it opens, rendering nothing: a template
/// holding several large pieces reserves their sum once, and no piece copies the ones before it.
pub(crate) struct Room(pub(crate) usize);

impl Render for Room {
    fn render_to(&self, buffer: &mut String) {
        buffer.reserve(self.0 + SLACK);
    }
}
