/*
 * password.c - reading a password: on the terminal without echo, or from stdin
 *
 * SPDX-License-Identifier: MIT
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

/* One line from fd into buf, without its newline; -1 on end of file or error. */
static int
read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;
	char ch;

	for (;;) {
		ssize_t r = read(fd, &ch, 1);
		if (r <= 0)
			return n ? 0 : -1;
		if (ch == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = ch;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return 0;
}

static int
ask(int fd, const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	int echo_off, rc;

	(void)!write(fd, prompt, strlen(prompt));
	echo_off = tcgetattr(fd, &old) == 0;
	if (echo_off) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	rc = read_line(fd, buf, size);
	if (echo_off)
		tcsetattr(fd, TCSAFLUSH, &old);
	(void)!write(fd, "\n", 1);
	return rc;
}

int
read_password(const char *login, int confirm, char *buf, size_t size)
{
	char prompt[160], again[256];
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC), rc;

	if (fd < 0)
		return fail_msg(_("no terminal to ask for the password of %s on"), login);
	snprintf(prompt, sizeof prompt, _("Password for %s: "), login);
	rc = ask(fd, prompt, buf, size);
	if (!rc && confirm) {
		rc = ask(fd, _("Again: "), again, sizeof again);
		if (!rc && strcmp(buf, again))
			rc = fail_msg(_("the two passwords differ"));
		explicit_bzero(again, sizeof again);
	}
	close(fd);
	if (rc < 0)
		return fail_msg(_("no password given"));
	return rc;
}

int
read_password_stdin(char *buf, size_t size)
{
	if (read_line(0, buf, size))
		return fail_msg(_("--password-stdin: nothing on stdin"));
	return 0;
}

/* The new login's password: --password-stdin, else asked twice on a terminal. */
int
new_password(const cli_opts *o, const char *login, char *buf, size_t size)
{
	if (opt_has(o, "password-stdin"))
		return read_password_stdin(buf, size);
	if (!isatty(0))
		return usage_error(o->cmd, _("no terminal to ask for the password of %s on: give it on "
				   "stdin with --password-stdin"),
				   login);
	return read_password(login, 1, buf, size);
}
