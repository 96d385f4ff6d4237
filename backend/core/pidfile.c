#include "config.h"

#include "core/pidfile.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct pidfile {
	char *path;
	int fd;
};

/* Reads the pid the current holder wrote, for the error message. */
static long read_holder(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

int pidfile_update(struct pidfile *pf, struct strbuf *err)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

	if (ftruncate(pf->fd, 0) < 0 || pwrite(pf->fd, buf, (size_t)n, 0) != n) {
		strbuf_printf(err, "cannot write %s: %s", pf->path, strerror(errno));
		return -1;
	}
	return 0;
}

struct pidfile *pidfile_acquire(const char *path, struct strbuf *err)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct pidfile *pf;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		strbuf_printf(err, "cannot open pidfile %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fcntl(fd, F_SETLK, &fl) < 0) {
		if (errno == EACCES || errno == EAGAIN) {
			long holder = read_holder(fd);

			if (holder > 0)
				strbuf_printf(err, "another softlbd (pid %ld) is running: it holds %s",
					      holder, path);
			else
				strbuf_printf(err, "another softlbd is running: it holds %s", path);
		} else {
			strbuf_printf(err, "cannot lock pidfile %s: %s", path, strerror(errno));
		}
		close(fd);
		return NULL;
	}
	pf = xcalloc(1, sizeof(*pf));
	pf->path = xstrdup(path);
	pf->fd = fd;
	if (pidfile_update(pf, err) < 0) {
		pidfile_release(pf);
		return NULL;
	}
	return pf;
}

void pidfile_release(struct pidfile *pf)
{
	if (!pf)
		return;
	unlink(pf->path);
	close(pf->fd);
	free(pf->path);
	free(pf);
}
