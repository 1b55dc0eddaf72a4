//! How the serving process's allocator gives memory back. glibc's malloc raises its mmap
//! threshold after the first large block is freed, so later answers of megabytes come from
//! arenas that keep their pages after the answer is sent; a fixed threshold keeps every large
//! block mapped on its own and returned to the system when dropped, and fewer arenas cap the
//! memory idle threads hold.

/// Blocks from this size up are mapped on their own and unmapped when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 256 << 10;

/// Arenas at most: the async threads and the heavy pool share them.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const ARENAS: libc::c_int = 2;

/// Tunes the allocator for serving: call once at start, before the runtime's threads exist.
/// Does nothing where the C library is not glibc.
pub fn bound_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; it is called before other threads start.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
    }
}
