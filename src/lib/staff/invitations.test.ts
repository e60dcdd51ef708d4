import { describe, expect, it } from 'vitest';
import { parseCsv } from '$lib/import/csv';
import { invitationCsv, invitationUrl, qrDataUrl, type TInvitationBatch } from './invitations';
import { MAX_CODES_PER_BATCH, validateInvitations } from './validate';

const batch: TInvitationBatch = {
	wave: {
		id: 'w1',
		label: '2026 resident survey',
		period: '2026',
		mode: 'both',
		slug: 'resident-survey',
		codes: 0,
		used: 0
	},
	batch: 'district-3-mail-1',
	codes: ['ABCDE-FGHJK', 'MNPQR-STUVW']
};

describe('invitation codes for a mailing', () => {
	it('links each code to the survey with the code filled in', () => {
		expect(invitationUrl('https://survey.kcmo.example/', 'resident-survey', 'ABCDE-FGHJK')).toBe(
			'https://survey.kcmo.example/s/resident-survey?code=ABCDE-FGHJK'
		);
	});

	it('writes one CSV row per code with its link, wave and batch, for a mail merge', () => {
		const table = parseCsv(invitationCsv('https://survey.kcmo.example', batch));
		expect(table.header).toEqual(['code', 'url', 'wave', 'batch']);
		expect(table.records).toEqual([
			[
				'ABCDE-FGHJK',
				'https://survey.kcmo.example/s/resident-survey?code=ABCDE-FGHJK',
				'2026 resident survey',
				'district-3-mail-1'
			],
			[
				'MNPQR-STUVW',
				'https://survey.kcmo.example/s/resident-survey?code=MNPQR-STUVW',
				'2026 resident survey',
				'district-3-mail-1'
			]
		]);
	});

	it('draws a QR code as an SVG image', async () => {
		const url = await qrDataUrl('https://survey.kcmo.example/s/resident-survey?code=ABCDE-FGHJK');
		expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
		const svg = decodeURIComponent(url.slice(url.indexOf(',') + 1));
		// A 63-character link at error correction M needs QR version 4: 33 modules + 2 × 2 border,
		// drawn 10 units per module.
		expect(svg).toMatch(/^<svg[^>]*viewBox="0 0 370 370"/);
		expect(svg).toContain('<path');
	});

	it('explains a missing wave, a bad number of codes and a long batch label', () => {
		expect(validateInvitations('en', { wave_id: 'w1', count: ' 250 ', batch: '' })).toEqual([]);
		expect(validateInvitations('en', { wave_id: '', count: '0', batch: 'x'.repeat(121) })).toEqual([
			{ field: 'inv-wave', message: 'Choose survey wave' },
			{
				field: 'inv-count',
				message: `Enter a whole number of codes from 1 to ${MAX_CODES_PER_BATCH}`
			},
			{ field: 'inv-batch', message: 'Batch label (optional) must be at most 120 characters' }
		]);
		for (const count of ['', '2.5', '-3', 'ten', String(MAX_CODES_PER_BATCH + 1)])
			expect(validateInvitations('es', { wave_id: 'w1', count, batch: '' })[0]?.field).toBe(
				'inv-count'
			);
	});
});
