/**
 * Reordering questions and pages. Pure functions returning new arrays (the draft is replaced,
 * never mutated in place), used by the Move buttons (keyboard and pointer) and by dragging.
 */

interface TPageLike<Q extends { id: string }> {
	id: string;
	questions: Q[];
}

export interface TLocation {
	page: number; // index of the page
	index: number; // index within the page
}

export function locate<Q extends { id: string }>(
	pages: readonly TPageLike<Q>[],
	questionId: string
): TLocation | null {
	for (let page = 0; page < pages.length; page++) {
		const index = pages[page].questions.findIndex((q) => q.id === questionId);
		if (index >= 0) return { page, index };
	}
	return null;
}

/** Moves a question to `to` (the index counts positions in the target page after removal). */
export function moveQuestionTo<Q extends { id: string }, P extends TPageLike<Q>>(
	pages: readonly P[],
	questionId: string,
	to: TLocation
): P[] {
	const from = locate(pages, questionId);
	if (!from || to.page < 0 || to.page >= pages.length) return [...pages];
	const q = pages[from.page].questions[from.index];
	const without = pages.map((p, i) =>
		i === from.page ? { ...p, questions: p.questions.filter((x) => x.id !== questionId) } : p
	);
	const target = without[to.page].questions;
	const index = Math.max(0, Math.min(to.index, target.length));
	return without.map((p, i) =>
		i === to.page ? { ...p, questions: [...target.slice(0, index), q, ...target.slice(index)] } : p
	);
}

/**
 * One step up (-1) or down (+1) in reading order. Past the first or last question of a page the
 * question moves to the end of the previous page or the start of the next one; at the very
 * start or end of the survey nothing changes.
 */
export function moveQuestionBy<Q extends { id: string }, P extends TPageLike<Q>>(
	pages: readonly P[],
	questionId: string,
	delta: -1 | 1
): P[] {
	const from = locate(pages, questionId);
	if (!from) return [...pages];
	const size = pages[from.page].questions.length;
	if (delta < 0 && from.index > 0)
		return moveQuestionTo(pages, questionId, { page: from.page, index: from.index - 1 });
	if (delta > 0 && from.index < size - 1)
		return moveQuestionTo(pages, questionId, { page: from.page, index: from.index + 1 });
	if (delta < 0 && from.page > 0)
		return moveQuestionTo(pages, questionId, {
			page: from.page - 1,
			index: pages[from.page - 1].questions.length
		});
	if (delta > 0 && from.page < pages.length - 1)
		return moveQuestionTo(pages, questionId, { page: from.page + 1, index: 0 });
	return [...pages];
}

export function movePage<P extends { id: string }>(
	pages: readonly P[],
	pageId: string,
	delta: -1 | 1
): P[] {
	const i = pages.findIndex((p) => p.id === pageId);
	const j = i + delta;
	if (i < 0 || j < 0 || j >= pages.length) return [...pages];
	const out = [...pages];
	[out[i], out[j]] = [out[j], out[i]];
	return out;
}

/**
 * Splits a page after its first half: the second half goes to `fresh` (a new page inserted
 * right after), so a long page becomes two screens without changing the reading order.
 */
export function splitPage<Q extends { id: string }, P extends TPageLike<Q>>(
	pages: readonly P[],
	pageId: string,
	fresh: P
): P[] {
	const i = pages.findIndex((p) => p.id === pageId);
	if (i < 0 || pages[i].questions.length < 2) return [...pages];
	const half = Math.ceil(pages[i].questions.length / 2);
	const first = { ...pages[i], questions: pages[i].questions.slice(0, half) };
	const second = { ...fresh, questions: pages[i].questions.slice(half) };
	return [...pages.slice(0, i), first, second, ...pages.slice(i + 1)];
}

/**
 * Where a dragged question lands, from the pointer's vertical position and the rectangles of
 * the other questions (in reading order, each with its page): before the first question whose
 * middle is below the pointer, else at the end of the last page. Pure so it can be tested.
 */
export function dropTarget(
	pointerY: number,
	rows: readonly { page: number; top: number; bottom: number }[],
	pageCount: number
): TLocation {
	const perPage = new Map<number, number>();
	for (const row of rows) {
		const index = perPage.get(row.page) ?? 0;
		if (pointerY < (row.top + row.bottom) / 2) return { page: row.page, index };
		perPage.set(row.page, index + 1);
	}
	const last = Math.max(0, pageCount - 1);
	return { page: last, index: perPage.get(last) ?? 0 };
}
