//! The styles human output uses (through `anstyle`), and painting text with them only when
//! colour is on.

use anstyle::{AnsiColor, Style};

pub const PATH: Style = Style::new().bold();
pub const RULE: Style = AnsiColor::Magenta.on_default();
pub const OLD: Style = AnsiColor::Red.on_default();
pub const NEW: Style = AnsiColor::Green.on_default();
pub const REASON: Style = AnsiColor::Yellow.on_default();
pub const NOTE: Style = AnsiColor::Cyan.on_default();
pub const DIFF_HEADER: Style = Style::new().bold();
pub const DIFF_HUNK: Style = AnsiColor::Cyan.on_default();
pub const DIFF_REMOVED: Style = AnsiColor::Red.on_default();
pub const DIFF_ADDED: Style = AnsiColor::Green.on_default();

/// `text` in `style` when `color` is on, else as it is.
pub fn paint(color: bool, style: Style, text: impl std::fmt::Display) -> String {
    if color {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}
