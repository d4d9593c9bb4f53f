//! Virtualised rendering: which rows a scrolled table renders. Rows have a fixed height, so
//! the scroll position says which are visible; a few more on each side keep quick scrolling
//! smooth, and windows start at multiples of a chunk so that scrolling within one renders
//! nothing new.

/// Every row's height in pixels (the stylesheet fixes it: `.data-table tbody tr`).
pub const ROW_HEIGHT: f64 = 24.0;
/// Rows rendered beyond the visible ones, above and below.
const OVERSCAN: usize = 10;
/// Windows start and end at multiples of this many rows.
const CHUNK: usize = 50;

/// `(offset, limit)`: the rows to render for a viewport `height` pixels tall scrolled to
/// `scroll_top`, in a table of `total` rows.
pub fn rows_to_render(scroll_top: f64, height: f64, total: usize) -> (usize, usize) {
    let first_visible = (scroll_top.max(0.0) / ROW_HEIGHT).floor() as usize;
    let visible = (height.max(0.0) / ROW_HEIGHT).ceil() as usize + 1;
    let start = first_visible.saturating_sub(OVERSCAN) / CHUNK * CHUNK;
    let end = (first_visible + visible + OVERSCAN).div_ceil(CHUNK) * CHUNK;
    let start = start.min(total.saturating_sub(1) / CHUNK * CHUNK);
    (start, end.min(total).saturating_sub(start))
}

/// The heights of the spacers above and below the rendered rows.
pub fn spacers(offset: usize, rendered: usize, total: usize) -> (f64, f64) {
    let below = total.saturating_sub(offset + rendered);
    (offset as f64 * ROW_HEIGHT, below as f64 * ROW_HEIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_of_a_table_renders_a_chunk_aligned_window() {
        assert_eq!(rows_to_render(0.0, 360.0, 100_000), (0, 50));
        assert_eq!(rows_to_render(0.0, 360.0, 7), (0, 7));
        assert_eq!(rows_to_render(0.0, 360.0, 0), (0, 0));
    }

    #[test]
    fn scrolling_within_a_chunk_keeps_the_window() {
        assert_eq!(rows_to_render(24.0 * 100.0, 360.0, 100_000), (50, 100));
        assert_eq!(rows_to_render(24.0 * 105.0, 360.0, 100_000), (50, 100));
    }

    #[test]
    fn the_end_of_a_table_renders_its_last_rows() {
        let total = 100_000;
        let bottom = total as f64 * ROW_HEIGHT - 360.0;
        let (offset, limit) = rows_to_render(bottom, 360.0, total);
        assert_eq!(offset + limit, total);
        assert!(limit < 100, "only a window is rendered, not {limit} rows");
        assert_eq!(spacers(offset, limit, total), (offset as f64 * ROW_HEIGHT, 0.0));
    }

    #[test]
    fn a_scroll_position_past_the_rows_still_renders_the_last_ones() {
        let (offset, limit) = rows_to_render(1e9, 360.0, 120);
        assert_eq!((offset, offset + limit), (100, 120));
    }
}
