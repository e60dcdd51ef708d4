import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TResponseSubmission } from '$domain/survey';

// The real client is replaced by a stub answering like supabase-js' rpc(): { data, error, status }.
const rpc = vi.fn();
const ensureSession = vi.fn();
vi.mock('$lib/supabase/client', () => ({
	getSupabase: async () => ({ rpc }),
	ensureSession: (...args: unknown[]) => ensureSession(...args)
}));

const { supabaseSender } = await import('./transport');
const { SendError } = await import('./engine');

const item: TResponseSubmission = {
	id: '7d2b3c1e-9f2a-4c6e-8a4b-1d2e3f4a5b6c',
	wave_id: '00000000-0000-4000-a500-000000002026',
	language: 'en',
	submitted_at: '2026-11-22T08:00:00.000Z',
	invitation_code: null,
	answers: { q1_01: 5 }
};

async function failure(): Promise<InstanceType<typeof SendError>> {
	try {
		await supabaseSender([item]);
	} catch (err) {
		expect(err).toBeInstanceOf(SendError);
		return err as InstanceType<typeof SendError>;
	}
	throw new Error('expected a failure');
}

describe('supabaseSender', () => {
	beforeEach(() => {
		rpc.mockReset();
		ensureSession.mockReset().mockResolvedValue(undefined);
	});

	it('signs in before sending and passes the batch as p_responses', async () => {
		rpc.mockResolvedValue({
			data: [{ id: item.id, status: 'accepted', reason: null }],
			error: null,
			status: 200
		});
		expect(await supabaseSender([item])).toEqual([
			{ id: item.id, status: 'accepted', reason: null }
		]);
		expect(ensureSession).toHaveBeenCalledTimes(1);
		expect(rpc).toHaveBeenCalledWith('submit_responses', { p_responses: [item] });
	});

	it('treats server errors, rate limits and session problems as temporary', async () => {
		for (const status of [500, 503, 429, 401, 403, 408, 0]) {
			rpc.mockResolvedValue({ data: null, error: { message: `status ${status}` }, status });
			const err = await failure();
			expect(err.permanent, String(status)).toBe(false);
		}
	});

	it('treats a request the server understood and refused as permanent, with its message', async () => {
		rpc.mockResolvedValue({
			data: null,
			error: { message: 'submit_responses expects "p_responses" to be a JSON array of responses' },
			status: 400
		});
		const err = await failure();
		expect(err.permanent).toBe(true);
		expect(err.message).toContain('JSON array');
	});

	it('never trusts an answer that is not a result list (kept and retried)', async () => {
		rpc.mockResolvedValue({ data: { ok: true }, error: null, status: 200 });
		expect((await failure()).permanent).toBe(false);
	});

	it('keeps everything when anonymous sign-in fails (e.g. offline)', async () => {
		ensureSession.mockRejectedValue(new TypeError('Failed to fetch'));
		const err = await failure();
		expect(err.permanent).toBe(false);
		expect(rpc).not.toHaveBeenCalled();
	});
});
