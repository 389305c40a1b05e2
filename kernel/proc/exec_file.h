/* exec_file.h — programs read from any mounted file system for exec and
 * spawn: the path as given, else /bin/NAME, else /initrd/NAME. */
#ifndef KERNEL_PROC_EXEC_FILE_H
#define KERNEL_PROC_EXEC_FILE_H

#include <stddef.h>

#define EXEC_FILE_MAX (4u << 20) /* largest program file (kmalloc's limit) */

/* Read the program at path (seen from cwd) into a kernel buffer: 0, or
 * -ENOENT, -EACCES (a directory or not a regular file), -ENOMEM, -EIO ...
 * (proc's convention, proc.h). Free *data with exec_file_free. */
int exec_file_load(const char *cwd, const char *path, void **data,
		   size_t *size);
void exec_file_free(void *data);

#endif
