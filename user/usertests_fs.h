/* usertests_fs.h — usertests' file-system tests (usertests_fs.c). */
#ifndef USER_USERTESTS_FS_H
#define USER_USERTESTS_FS_H

/* Report a failed check of the running test (usertests.c); the test's
 * process then exits 1 when it returns. */
__attribute__((format(printf, 1, 2))) void ut_failed(const char *fmt, ...);
/* ut_failed unless got == want, naming what. */
void ut_expect_eq(const char *what, long got, long want);

/* argv[1] that makes usertests check fd 3 after exec (fsfds). */
#define UT_FS_EXEC_CHECK "--fd-check"

void ut_fs_files(void);
void ut_fs_errors(void);
void ut_fs_dirs(void);
void ut_fs_descriptors(void);
void ut_fs_big(void);
void ut_fs_exec(void);
int ut_fs_exec_check(int argc, char **argv);

#define UT_FS_TESTS                                                            \
	{"fsfiles", ut_fs_files}, {"fserrors", ut_fs_errors},                  \
	    {"fsdirs", ut_fs_dirs}, {"fsfds", ut_fs_descriptors},              \
	    {"fsbig", ut_fs_big},                                              \
	{                                                                      \
		"fsexec", ut_fs_exec                                           \
	}

#endif
