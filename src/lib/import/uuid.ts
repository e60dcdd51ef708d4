/**
 * Deterministic response ids for imported rows: RFC 4122 UUID version 5 (SHA-1, name-based).
 *
 * Why: re-importing the same file must change nothing. The server is idempotent by response id
 * (`duplicate` on a second insert), so the id of an imported row must depend only on what
 * identifies it — the target wave and the respondent id in the source file — never on time,
 * row order or randomness. SHA-1 is implemented here (synchronously, ~50 lines) so the same code
 * runs in Node (the CLI) and in the browser (the staff UI) without WebCrypto's async API.
 * SHA-1 is used for naming only, as RFC 4122 specifies; nothing here relies on it for security.
 */

/** Namespace of CivicPulse import ids (a fixed random UUID; never change it: ids would move). */
export const IMPORT_NAMESPACE = '5f0b8f2e-3c1d-4a57-9a59-2d4c1e7b6a10';

function utf8(s: string): Uint8Array {
	return new TextEncoder().encode(s);
}

/** SHA-1 digest (20 bytes) of `data`. */
export function sha1(data: Uint8Array): Uint8Array {
	const bitLen = data.length * 8;
	const padded = new Uint8Array(((data.length + 8) >> 6) * 64 + 64);
	padded.set(data);
	padded[data.length] = 0x80;
	const view = new DataView(padded.buffer);
	view.setUint32(padded.length - 8, Math.floor(bitLen / 2 ** 32));
	view.setUint32(padded.length - 4, bitLen >>> 0);
	let h0 = 0x67452301;
	let h1 = 0xefcdab89;
	let h2 = 0x98badcfe;
	let h3 = 0x10325476;
	let h4 = 0xc3d2e1f0;
	const w = new Uint32Array(80);
	for (let off = 0; off < padded.length; off += 64) {
		for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
		for (let i = 16; i < 80; i++) {
			const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
			w[i] = (x << 1) | (x >>> 31);
		}
		let a = h0;
		let b = h1;
		let c = h2;
		let d = h3;
		let e = h4;
		for (let i = 0; i < 80; i++) {
			let f: number;
			let k: number;
			if (i < 20) {
				f = (b & c) | (~b & d);
				k = 0x5a827999;
			} else if (i < 40) {
				f = b ^ c ^ d;
				k = 0x6ed9eba1;
			} else if (i < 60) {
				f = (b & c) | (b & d) | (c & d);
				k = 0x8f1bbcdc;
			} else {
				f = b ^ c ^ d;
				k = 0xca62c1d6;
			}
			const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]) >>> 0;
			e = d;
			d = c;
			c = (b << 30) | (b >>> 2);
			b = a;
			a = t;
		}
		h0 = (h0 + a) >>> 0;
		h1 = (h1 + b) >>> 0;
		h2 = (h2 + c) >>> 0;
		h3 = (h3 + d) >>> 0;
		h4 = (h4 + e) >>> 0;
	}
	const out = new Uint8Array(20);
	const ov = new DataView(out.buffer);
	[h0, h1, h2, h3, h4].forEach((h, i) => ov.setUint32(i * 4, h));
	return out;
}

function parseUuid(uuid: string): Uint8Array {
	const hex = uuid.replace(/-/g, '');
	if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a UUID: ${uuid}`);
	return Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
}

/** UUID version 5 of `name` in `namespace` (RFC 4122 §4.3). */
export function uuidV5(name: string, namespace: string): string {
	const ns = parseUuid(namespace);
	const n = utf8(name);
	const buf = new Uint8Array(ns.length + n.length);
	buf.set(ns);
	buf.set(n, ns.length);
	const h = sha1(buf).slice(0, 16);
	h[6] = (h[6] & 0x0f) | 0x50;
	h[8] = (h[8] & 0x3f) | 0x80;
	const hex = Array.from(h, (b) => b.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The response id of an imported row: UUID v5 of `<wave id>/<source respondent id>`. The same
 * respondent imported into another wave gets another id; the same file twice gets the same ids.
 */
export function importResponseId(waveId: string, sourceId: string): string {
	return uuidV5(`${waveId.toLowerCase()}/${sourceId}`, IMPORT_NAMESPACE);
}
