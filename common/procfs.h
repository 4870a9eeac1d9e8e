/* procfs: a small /proc file read into the caller's buffer, and the kB figures of
 * /proc/self/status and /proc/meminfo as bytes. Nothing here allocates: a program that
 * reads its own memory figures must not move them, and fopen allocates its FILE (472
 * bytes, test_countalloc.c) and the first read a buffer for it. */
#ifndef PROCFS_H
#define PROCFS_H

#include <stddef.h>
#include <stdint.h>

/* Read the file at path into buf[size] with open and read(2), and end it with '\0'; a
 * file longer than size - 1 bytes is cut there. 0, or -1 with errno (EINVAL for a size
 * below 1). */
int procfs_read(const char *path, char *buf, size_t size);

/* The number after key in text, in kB, as bytes (key "\nVmRSS:" in /proc/self/status,
 * "MemTotal:" in /proc/meminfo); 0 if key is not there. */
uint64_t procfs_kib(const char *text, const char *key);

/* One kB figure of /proc/self/status as bytes (key "\nVmRSS:", "\nVmHWM:"), read without
 * allocating; 0 when the file cannot be read or key is not in it. Figures that must come
 * from the same moment are read together: procfs_read once, then procfs_kib for each. */
uint64_t procfs_status_bytes(const char *key);

/* This process's address space (VmSize) and resident set (VmRSS) in bytes, from
 * /proc/self/status, without allocating. 0; or -1 with errno, both figures 0. */
int procfs_self_vm(uint64_t *size, uint64_t *rss);

/* This process's minor page faults so far (getrusage's ru_minflt: the count of
 * /proc/self/stat's tenth field, without reading the file). */
uint64_t procfs_minor_faults(void);

/* The calling thread's minor page faults so far (getrusage RUSAGE_THREAD; 0 if it fails).
 * The kernel counts a fault to the thread that took it, and the pages a system call maps
 * (MAP_POPULATE, MADV_POPULATE_WRITE, mlock) to the thread that made the call, so another
 * thread's faults (a test runner's, say) stay out of the figure. */
uint64_t procfs_thread_minor_faults(void);

/* Transparent huge pages off for this process (prctl PR_SET_THP_DISABLE), so that a fault
 * maps one base page whatever the machine's THP mode and the faults count pages; returns
 * the caller's setting, which procfs_thp_restore puts back (a process that had them off
 * keeps them off). */
int procfs_thp_off(void);
void procfs_thp_restore(int was);

/* PROCFS_UNSHADOWED before a function whose page writes are counted as faults: in the
 * ASan build its accesses are not checked, since each check reads the shadow memory, whose
 * own pages would fault beside the ones counted. Nothing in an ordinary build. */
#if defined(__SANITIZE_ADDRESS__)
#define PROCFS_UNSHADOWED __attribute__((no_sanitize_address))
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PROCFS_UNSHADOWED __attribute__((no_sanitize_address))
#endif
#endif
#ifndef PROCFS_UNSHADOWED
#define PROCFS_UNSHADOWED
#endif

/* From /proc/PID/smaps at path, the block of the mapping that holds addr (its address
 * line and the lines after it, up to the next mapping) into buf[size], ended with '\0',
 * for procfs_kib ("\nRss:", "\nPss:", "\nPrivate_Dirty:"). The file is read a piece at a
 * time, so its length does not matter. 0; or -1 with errno: ENOENT when no mapping holds
 * addr, ERANGE when the block does not fit, or what open or read said. */
int procfs_mapping(const char *path, const void *addr, char *buf, size_t size);

#endif
