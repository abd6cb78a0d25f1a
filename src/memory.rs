//! Handing freed memory back to the system after a large reload (a million domain
//! policies are read, copied into a compact map, and the rows dropped): glibc keeps
//! freed pages of its arenas otherwise, and the resident size stays at the peak.

/// Returns free heap pages to the system where the allocator keeps them (glibc).
pub fn release_free_pages() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own arenas; it takes no pointer of ours.
    unsafe {
        libc::malloc_trim(0);
    }
}
