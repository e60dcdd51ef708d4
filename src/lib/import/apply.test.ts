import { describe, expect, it } from 'vitest';
import type { TSurveyDefinition } from '../domain/survey';
import {
	applyImport,
	NothingToImportError,
	type TImportServer,
	type TImportVerdict
} from './apply';
import { planImport } from './plan';
import kcDefinitionJson from '../../../tests/fixtures/import/kc-resident.definition.json';

const kcDefinition = kcDefinitionJson as unknown as TSurveyDefinition;
const mapping = {
	survey: 'kc-resident',
	wave: { label: 'FY2022 Q1' },
	id_column: 'id',
	columns: { streets: 'q3_03' }
};
const plan = (n: number) =>
	planImport(
		`id,streets\n${Array.from({ length: n }, (_, i) => `${i + 1},${(i % 5) + 1}`).join('\n')}\n`,
		mapping,
		kcDefinition
	);

/** A server stand-in that records calls; `verdict` decides each row's status. */
function fakeServer(verdict: (id: string) => TImportVerdict['status'], failCommit = false) {
	const calls: string[] = [];
	const server: TImportServer = {
		check: async (rows) => rows.map((r) => ({ id: r.id, status: verdict(r.id), reason: null })),
		stage: async (importId, _wave, rows) => {
			calls.push(`stage ${rows.length}`);
			return rows.map((r) => ({ id: r.id, status: verdict(r.id), reason: 'because' }));
		},
		commit: async (importId, o) => {
			calls.push(`commit ${o.expectedRows} replace=${o.replace} allow=${o.allowRowErrors}`);
			if (failCommit) throw new Error('network down');
			return {
				import_id: importId,
				wave_id: 'w',
				rows: o.expectedRows,
				new: o.expectedRows,
				unchanged: 0,
				replaced: 0,
				changed_left: 0,
				rejected: 0,
				committed_at: '',
				replayed: false
			};
		},
		discard: async () => {
			calls.push('discard');
			return true;
		}
	};
	return { server, calls };
}

describe('applyImport: stage in batches, then one commit — or nothing', () => {
	it('stages every batch, then commits once with the expected row count', async () => {
		const { server, calls } = fakeServer(() => 'new');
		const r = await applyImport(plan(7), server, { batchSize: 3 });
		expect(calls).toEqual(['stage 3', 'stage 3', 'stage 1', 'commit 7 replace=false allow=false']);
		expect(r.outcome).toBe('written');
	});

	it('a refused row or a changed respondent discards the staging and commits nothing', async () => {
		const p = plan(4);
		const last = p.rows[3].response.id;
		const refused = fakeServer((id) => (id === last ? 'rejected' : 'new'));
		const r = await applyImport(p, refused.server, { batchSize: 2 });
		expect(r).toMatchObject({ outcome: 'refused', refusal: 'rejected', committed: null });
		expect(r.rejected.map((x) => [x.row, x.reason])).toEqual([[5, 'because']]);
		expect(refused.calls).toEqual(['stage 2', 'stage 2', 'discard']);

		const changed = fakeServer((id) => (id === last ? 'changed' : 'unchanged'));
		expect(await applyImport(p, changed.server)).toMatchObject({ refusal: 'changed' });
		expect(changed.calls.at(-1)).toBe('discard');
		// Replace (or allowing row errors) lets the commit decide.
		const replaced = fakeServer((id) => (id === last ? 'changed' : 'unchanged'));
		await applyImport(p, replaced.server, { replace: true });
		expect(replaced.calls.at(-1)).toBe('commit 4 replace=true allow=false');
	});

	it('a failed commit discards the staging and throws', async () => {
		const { server, calls } = fakeServer(() => 'new', true);
		await expect(applyImport(plan(2), server)).rejects.toThrow('network down');
		expect(calls).toEqual(['stage 2', 'commit 2 replace=false allow=false', 'discard']);
	});

	it('refuses a plan with nothing to import, and an answer for the wrong rows', async () => {
		const { server } = fakeServer(() => 'new');
		await expect(applyImport(plan(0), server)).rejects.toThrow(NothingToImportError);
		const wrong: TImportServer = { ...server, stage: async () => [] };
		await expect(applyImport(plan(2), wrong)).rejects.toThrow(
			'the server answered 0 results for 2 rows'
		);
	});
});
