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

/// Blocks this large or larger are mapped on their own and unmapped when freed.
const MMAP_THRESHOLD: i32 = 4 << 20;

/// Caps glibc's arenas at two (called once at start, before the runtime's threads),
/// and fixes the mmap threshold: by default glibc raises it to the size of each mapped
/// block freed, so after the first argon2 hash (19 MiB) every later one came from the
/// arenas and stayed there: 128 concurrent logins, with two hashing at a time, left
/// the process at 650 MiB for good. Fixed at 4 MiB, big blocks go back at once.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets glibc tunables; M_ARENA_MAX takes a count,
    // M_MMAP_THRESHOLD a size in bytes.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}
