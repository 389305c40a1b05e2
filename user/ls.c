/* ls.c — lists directories (sorted by name) or names files: `ls [-l]
 * [PATH...]`; plain lines are "name size", -l adds the mode, link count
 * and a symlink's target. */
#include <stdbool.h>

#include "user/lib/ulib.h"

#define MAX_ENTRIES 1024

static bool long_form;

/* "drwxr-xr-x" for mode. */
static void mode_string(unsigned mode, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";
	out[0] = S_ISDIR(mode) ? 'd' : S_ISLNK(mode) ? 'l' : '-';
	for (int i = 0; i < 9; i++)
		out[1 + i] = mode & (0400u >> i) ? rwx[i] : '-';
	out[10] = '\0';
}

static void show(const char *path, const char *name)
{
	struct stat st;
	int rc = lstat(path, &st);
	if (rc < 0) {
		dprintf(FD_STDERR, "ls: %s: %s\n", path, strerror(-rc));
		return;
	}
	if (!long_form) {
		printf("%-16s %8ld\n", name, st.st_size);
		return;
	}
	char mode[11], target[PATH_MAX] = "";
	mode_string(st.st_mode, mode);
	if (S_ISLNK(st.st_mode)) {
		long n = readlink(path, target, sizeof target - 1);
		target[n > 0 ? n : 0] = '\0';
	}
	printf("%s %3u %8ld %s%s%s\n", mode, st.st_nlink, st.st_size, name,
	       target[0] ? " -> " : "", target);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Insertion sort: ls has no qsort and directories are small. */
static void sort(char **v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && by_name(&v[j - 1], &v[j]) > 0; j--) {
			char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static int list_dir(const char *path)
{
	static struct dir d;
	static char *names[MAX_ENTRIES];
	int n = 0, err = dir_open(&d, path);
	if (err < 0)
		return err;
	struct udirent *e;
	while ((e = dir_next(&d, &err)) && n < MAX_ENTRIES) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		names[n] = malloc(strlen(e->d_name) + 1);
		strlcpy(names[n], e->d_name, strlen(e->d_name) + 1);
		n++;
	}
	dir_close(&d);
	sort(names, n);
	for (int i = 0; i < n; i++) {
		char full[PATH_MAX];
		snprintf(full, sizeof full, "%s/%s", path, names[i]);
		show(full, names[i]);
		free(names[i]);
	}
	return err;
}

static int ls(const char *path)
{
	struct stat st;
	int rc = stat(path, &st);
	if (rc == 0 && S_ISDIR(st.st_mode))
		rc = list_dir(path);
	else if (rc == 0 || lstat(path, &st) == 0)
		show(path, path), rc = 0;
	if (rc < 0)
		dprintf(FD_STDERR, "ls: %s: %s\n", path, strerror(-rc));
	return rc < 0;
}

int main(int argc, char **argv)
{
	int i = 1, failed = 0;
	if (i < argc && !strcmp(argv[i], "-l")) {
		long_form = true;
		i++;
	}
	if (i == argc)
		return ls(".");
	for (; i < argc; i++)
		failed |= ls(argv[i]);
	return failed;
}
