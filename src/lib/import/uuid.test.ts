import { describe, expect, it } from 'vitest';
import { importResponseId, sha1, uuidV5 } from './uuid';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const bytes = (s: string) => new TextEncoder().encode(s);

describe('deterministic import ids', () => {
	it.each([
		['', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
		['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
		[
			'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
			'84983e441c3bd26ebaae4aa1f95129e5e54670f1'
		],
		['a'.repeat(1000), '291e9a6c66994949b57ba5e650361e98fc36b1ba']
	])('SHA-1 matches the FIPS 180 test vectors (%#)', (input, digest) => {
		expect(hex(sha1(bytes(input)))).toBe(digest);
	});

	it('UUID v5 matches the well-known DNS-namespace example', () => {
		expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
			'2ed6657d-e927-568b-95e1-2665a8aea6a2'
		);
	});

	it('the same wave and respondent always give the same id; another wave another id', () => {
		const wave = '00000000-0000-4000-a000-00000000f221';
		const id = importResponseId(wave, '58');
		expect(importResponseId(wave.toUpperCase(), '58')).toBe(id);
		expect(importResponseId(wave, '59')).not.toBe(id);
		expect(importResponseId('00000000-0000-4000-a000-00000000f223', '58')).not.toBe(id);
		expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});
});
