//! What can go wrong when a chart is turned into an image. Drawing SVG itself never fails: any
//! input, however empty or odd, gives a valid SVG.

/// A chart could not be rasterised.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChartError {
    /// The SVG could not be parsed (or has no usable size).
    #[error("invalid SVG: {0}")]
    InvalidSvg(String),
    /// The scale is not a positive finite number.
    #[error("invalid scale {0}: must be a positive finite number")]
    InvalidScale(f32),
    /// The image would exceed the pixel budget.
    #[error("image of {width}×{height} pixels exceeds the limit of {limit} pixels")]
    TooLarge {
        /// Requested width in pixels (saturated).
        width: u64,
        /// Requested height in pixels (saturated).
        height: u64,
        /// The largest number of pixels allowed.
        limit: u64,
    },
    /// The PNG encoder failed.
    #[error("PNG encoding failed: {0}")]
    Encode(String),
}
