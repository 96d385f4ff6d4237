/* The proxy's request/reply channel (px_svc.h) without a daemon: a
 * control-plane loop of its own and one worker's queue, driven by hand.
 * An answer whose session gave up its slot is freed, never delivered; a
 * worker has at most PX_SVC_INFLIGHT requests waiting; what is still
 * queued when the engine stops is freed (ASan's leak check sees it). */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/daemon.h"
#include "core/loop.h"
#include "proxy/proxy_int.h"
#include "proxy/px_svc.h"
#include "util/strbuf.h"
#include "suites.h"

struct rig {
	struct softlbd d;
	struct px_engine e;
	struct px_worker w;
};

static int renders;

static int fake_render(struct softlbd *d, struct strbuf *out)
{
	(void)d;
	renders++;
	strbuf_puts(out, "softlb_up 1\n");
	return 0;
}

static void rig_init(struct rig *r)
{
	struct strbuf err = STRBUF_INIT;

	memset(r, 0, sizeof(*r));
	r->d.loop = loop_new();
	ck_assert_ptr_nonnull(r->d.loop);
	r->d.services.prometheus = fake_render;
	r->e.d = &r->d;
	r->e.n_workers = 1;
	r->e.workers = &r->w;
	r->w.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ck_assert_int_eq(px_svc_init(&r->e, &err), 0);
	strbuf_free(&err);
	renders = 0;
}

static void rig_free(struct rig *r)
{
	px_svc_fini(&r->e);
	close(r->w.efd);
	loop_free(r->d.loop);
}

/* Sessions are opaque here: only their addresses are used, as keys of
 * the worker's slots. */
static char sess[PX_SVC_INFLIGHT + 1];

START_TEST(test_svc_forgotten_answer_is_freed)
{
	struct rig r;
	uint32_t slot;
	struct px_svc_msg *m = px_svc_msg_new(PX_SVC_PROMETHEUS);

	rig_init(&r);
	ck_assert(px_svc_post(&r.w, (struct px_session *)&sess[0], m, &slot));
	ck_assert_uint_eq(px_svc_inflight(&r.w), 1);
	/* Another session cannot give up a slot that is not its own. */
	px_svc_forget(&r.w, (struct px_session *)&sess[1], slot);
	ck_assert_uint_eq(px_svc_inflight(&r.w), 1);
	px_svc_forget(&r.w, (struct px_session *)&sess[0], slot);
	ck_assert_uint_eq(px_svc_inflight(&r.w), 0);
	/* The control plane answers it all the same ... */
	ck_assert_int_ge(loop_run_once(r.d.loop, 1000), 1);
	ck_assert_int_eq(renders, 1);
	/* ... and the worker frees the answer (px_session_svc_done would
	 * touch the fake session: reaching it would crash). */
	px_svc_drain(&r.w);
	ck_assert_uint_eq(px_svc_inflight(&r.w), 0);
	rig_free(&r);
}
END_TEST

START_TEST(test_svc_bound)
{
	struct rig r;
	uint32_t slot;

	rig_init(&r);
	for (int i = 0; i < PX_SVC_INFLIGHT; i++) {
		struct px_svc_msg *m = px_svc_msg_new(PX_SVC_PROMETHEUS);

		ck_assert(px_svc_post(&r.w, (struct px_session *)&sess[i], m, &slot));
	}
	{
		struct px_svc_msg *m = px_svc_msg_new(PX_SVC_PROMETHEUS);

		/* One more: refused, the message stays the caller's. */
		ck_assert(!px_svc_post(&r.w, (struct px_session *)&sess[PX_SVC_INFLIGHT], m,
				       &slot));
		px_svc_msg_free(m);
	}
	ck_assert_uint_eq(px_svc_inflight(&r.w), PX_SVC_INFLIGHT);
	/* A freed slot takes a new request, under a new generation. */
	px_svc_forget(&r.w, (struct px_session *)&sess[3], 3);
	{
		struct px_svc_msg *m = px_svc_msg_new(PX_SVC_PROMETHEUS);

		ck_assert(px_svc_post(&r.w, (struct px_session *)&sess[PX_SVC_INFLIGHT], m, &slot));
		ck_assert_uint_eq(slot, 3);
	}
	/* The engine stops with everything still queued: all freed. */
	for (int i = 0; i < PX_SVC_INFLIGHT; i++)
		px_svc_forget(&r.w, (struct px_session *)&sess[i == 3 ? PX_SVC_INFLIGHT : i],
			      (uint32_t)i);
	ck_assert_uint_eq(px_svc_inflight(&r.w), 0);
	rig_free(&r);
}
END_TEST

START_TEST(test_svc_answers_queued_at_stop)
{
	struct rig r;
	uint32_t slot;

	rig_init(&r);
	for (int i = 0; i < 3; i++) {
		struct px_svc_msg *m = px_svc_msg_new(PX_SVC_PROMETHEUS);

		ck_assert(px_svc_post(&r.w, (struct px_session *)&sess[i], m, &slot));
		px_svc_forget(&r.w, (struct px_session *)&sess[i], slot);
	}
	/* Answered, posted back to the worker, never drained: freed by fini. */
	ck_assert_int_ge(loop_run_once(r.d.loop, 1000), 1);
	ck_assert_int_eq(renders, 3);
	rig_free(&r);
}
END_TEST

Suite *px_svc_suite(void)
{
	Suite *s = suite_create("px_svc");
	TCase *tc = tcase_create("channel");

	tcase_add_test(tc, test_svc_forgotten_answer_is_freed);
	tcase_add_test(tc, test_svc_bound);
	tcase_add_test(tc, test_svc_answers_queued_at_stop);
	suite_add_tcase(s, tc);
	return s;
}
