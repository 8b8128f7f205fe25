/*
 * test_buf.c - the libraries' one way to grow an array (cj_grow) and the
 * growable buffer built on it (cj_buf): formatted text that fits the room
 * left, text that does not, arrays of items, and sizes that would overflow
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ledger/buf.h>
#include <ledger/grow.h>

/* Text appended in the room the buffer has, then text longer than that room:
 * the whole of both, NUL-terminated, whatever the first try wrote. */
static void
test_printf_fits_and_grows(void **state)
{
	cj_buf b = CJ_BUF_INIT;
	char want[301];
	size_t cap;

	(void)state;
	cj__buf_printf(&b, "%s,%d", "村", 7);
	assert_true(cj__buf_ok(&b));
	assert_string_equal(b.data, "村,7");
	assert_int_equal(b.len, strlen("村,7"));
	cap = b.cap;
	assert_true(cap > b.len + 2);
	cj__buf_printf(&b, "%c", 'x'); /* fits: no growth */
	assert_int_equal(b.cap, cap);
	assert_string_equal(b.data, "村,7x");

	memset(want, 'a', 300);
	want[300] = '\0';
	cj__buf_printf(&b, "[%s]", want); /* longer than the room left */
	assert_true(cj__buf_ok(&b));
	assert_true(b.cap > cap);
	assert_int_equal(b.len, strlen("村,7x") + 302);
	assert_int_equal(b.data[b.len], '\0');
	assert_memory_equal(b.data, "村,7x[", strlen("村,7x["));
	assert_memory_equal(b.data + strlen("村,7x["), want, 300);
	assert_string_equal(b.data + b.len - 1, "]");

	cj__buf_clear(&b);
	for (int i = 0; i < 10000; i++)
		cj__buf_printf(&b, "%04d\n", i);
	assert_true(cj__buf_ok(&b));
	assert_int_equal(b.len, 50000);
	assert_int_equal(strlen(b.data), 50000);
	assert_string_equal(b.data + b.len - 5, "9999\n");
	cj__buf_free(&b);
	assert_null(b.data);
}

/* Text exactly one byte short of the room, then exactly the room (the NUL
 * needs one more byte). */
static void
test_printf_at_the_edge(void **state)
{
	cj_buf b = CJ_BUF_INIT;
	size_t room;
	char *s;

	(void)state;
	cj__buf_putc(&b, 'a');
	room = b.cap - b.len; /* bytes left, the NUL included */
	s = malloc(room + 1);
	assert_non_null(s);
	memset(s, 'b', room - 1);
	s[room - 1] = '\0';
	cj__buf_printf(&b, "%s", s); /* fills the room with its NUL */
	assert_int_equal(b.len, room);
	assert_int_equal(b.len + 1, b.cap);
	cj__buf_printf(&b, "%s", "c"); /* one more: grows */
	assert_true(cj__buf_ok(&b));
	assert_int_equal(b.len, room + 1);
	assert_int_equal(b.data[0], 'a');
	assert_int_equal(b.data[room], 'c');
	assert_int_equal(b.data[room + 1], '\0');
	free(s);
	cj__buf_free(&b);
}

/* Items pushed are zeroed and stay in order as the array moves. */
static void
test_push(void **state)
{
	typedef struct item {
		int64_t a;
		int b;
	} item;
	cj_buf b = CJ_BUF_INIT;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		item *it = cj__buf_push(&b, sizeof(item));

		assert_non_null(it);
		assert_int_equal(it->a, 0);
		assert_int_equal(it->b, 0);
		it->a = i;
		it->b = -i;
	}
	assert_int_equal(CJ_BUF_COUNT(&b, item), 1000);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(CJ_BUF_ITEMS(&b, item)[i].a, i);
		assert_int_equal(CJ_BUF_ITEMS(&b, item)[i].b, -i);
	}
	cj__buf_free(&b);
}

/* cj_grow: from 16, doubling until the need fits; nothing when it fits
 * already; a size that would overflow refused with the array untouched. */
static void
test_grow(void **state)
{
	int *a = NULL, *before;
	size_t cap = 0;

	(void)state;
	assert_int_equal(cj_grow((void **)&a, &cap, 1, sizeof *a), 0);
	assert_int_equal(cap, 16);
	a[15] = 42;
	assert_int_equal(cj_grow((void **)&a, &cap, 16, sizeof *a), 0);
	assert_int_equal(cap, 16);
	assert_int_equal(cj_grow((void **)&a, &cap, 100, sizeof *a), 0);
	assert_int_equal(cap, 128);
	assert_int_equal(a[15], 42);
	before = a;
	assert_int_equal(cj_grow((void **)&a, &cap, SIZE_MAX / 2 + 2, sizeof *a), CJ_ENOMEM);
	assert_int_equal(cj_grow((void **)&a, &cap, SIZE_MAX / sizeof *a + 1, sizeof *a), CJ_ENOMEM);
	assert_ptr_equal(a, before);
	assert_int_equal(cap, 128);
	assert_int_equal(a[15], 42);
	free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printf_fits_and_grows),
		cmocka_unit_test(test_printf_at_the_edge),
		cmocka_unit_test(test_push),
		cmocka_unit_test(test_grow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
