//! Writing to the terminal without panicking when it goes away. `std`'s `println!` panics when
//! stdout is a closed pipe (`passage … | head`), and `eprintln!` when stderr is; here a closed
//! stdout becomes an error that `main` turns into a quiet exit, and stderr's failures are ignored,
//! since there is nowhere left to report them.

use std::io::Write;

/// Writes to stdout; the caller propagates the error (`main` exits quietly on a broken pipe).
pub fn write_out(args: std::fmt::Arguments<'_>) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_fmt(args)?;
    out.flush()
}

/// Writes to stderr, ignoring failure.
pub fn write_err(args: std::fmt::Arguments<'_>) {
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// Whether an error is stdout's reader having gone away, which is not a failure of the command.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// `println!` that returns stdout's error from the enclosing function instead of panicking.
macro_rules! outln {
    () => {
        $crate::console::write_out(format_args!("\n"))?
    };
    ($($arg:tt)*) => {
        $crate::console::write_out(format_args!("{}\n", format_args!($($arg)*)))?
    };
}

/// `print!` that returns stdout's error from the enclosing function instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::console::write_out(format_args!($($arg)*))?
    };
}

/// `eprintln!` that never panics.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::console::write_err(format_args!("{}\n", format_args!($($arg)*)))
    };
}
