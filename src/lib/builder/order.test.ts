import { describe, expect, it } from 'vitest';
import { dropTarget, movePage, moveQuestionBy, moveQuestionTo, splitPage } from './order';

const pages = () => [
	{ id: 'p1', questions: [{ id: 'a' }, { id: 'b' }] },
	{ id: 'p2', questions: [{ id: 'c' }] }
];
const keys = (ps: { questions: { id: string }[] }[]) =>
	ps.map((p) => p.questions.map((q) => q.id).join(''));

describe('reordering', () => {
	it('moves one step within a page and across page boundaries, never past the ends', () => {
		expect(keys(moveQuestionBy(pages(), 'b', -1))).toEqual(['ba', 'c']);
		expect(keys(moveQuestionBy(pages(), 'b', 1))).toEqual(['a', 'bc']);
		expect(keys(moveQuestionBy(pages(), 'c', -1))).toEqual(['abc', '']);
		expect(keys(moveQuestionBy(pages(), 'a', -1))).toEqual(['ab', 'c']);
		expect(keys(moveQuestionBy(pages(), 'c', 1))).toEqual(['ab', 'c']);
	});

	it('moves to any place (a drop) and keeps the pages’ other fields', () => {
		const moved = moveQuestionTo(pages(), 'a', { page: 1, index: 1 });
		expect(keys(moved)).toEqual(['b', 'ca']);
		expect(moved.map((p) => p.id)).toEqual(['p1', 'p2']);
	});

	it('reorders and splits pages', () => {
		expect(movePage(pages(), 'p2', -1).map((p) => p.id)).toEqual(['p2', 'p1']);
		const split = splitPage(
			[{ id: 'p1', questions: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] }],
			'p1',
			{ id: 'new', questions: [] }
		);
		expect(split.map((p) => p.id)).toEqual(['p1', 'new']);
		expect(keys(split)).toEqual(['ab', 'c']);
	});

	it('drops before the first question whose middle is below the pointer', () => {
		const rows = [
			{ page: 0, top: 0, bottom: 100 },
			{ page: 0, top: 100, bottom: 200 },
			{ page: 1, top: 300, bottom: 400 }
		];
		expect(dropTarget(10, rows, 2)).toEqual({ page: 0, index: 0 });
		expect(dropTarget(160, rows, 2)).toEqual({ page: 1, index: 0 });
		expect(dropTarget(120, rows, 2)).toEqual({ page: 0, index: 1 });
		expect(dropTarget(999, rows, 2)).toEqual({ page: 1, index: 1 });
	});
});
