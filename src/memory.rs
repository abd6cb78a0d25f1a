//! Keeping the resident size near what is live: glibc gives each thread that allocates
//! its own arena (up to 8 per core), and keeps freed pages in them; Tribune's tokio and
//! SQLite threads would hold a fragmented arena each.

/// Returns free heap pages to the system where the allocator keeps them (glibc).
pub fn release_free_pages() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own arenas; it takes no pointer of ours.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Caps glibc's arenas at two (called once at start, before the runtime's threads).
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a glibc tunable; M_ARENA_MAX takes a count.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
