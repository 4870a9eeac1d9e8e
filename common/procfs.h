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

#endif
