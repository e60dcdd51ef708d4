// Writes the PWA icons (plain PNG, no image tooling needed): a teal square with a white
// "pulse" ring. The maskable icon keeps the ring inside the 80% safe zone.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';

const crcTable = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
/** @param {Buffer} buf */
function crc32(buf) {
	let c = 0xffffffff;
	for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}
/** @param {string} type @param {Buffer} data */
function chunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const td = Buffer.concat([Buffer.from(type), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(td));
	return Buffer.concat([len, td, crc]);
}
/** @param {number} size @param {number} ringScale */
function png(size, ringScale) {
	const raw = Buffer.alloc((size * 3 + 1) * size);
	const c = size / 2;
	const outer = (size / 2) * ringScale;
	const inner = outer * 0.72;
	for (let y = 0; y < size; y++) {
		raw[y * (size * 3 + 1)] = 0;
		for (let x = 0; x < size; x++) {
			const d = Math.hypot(x + 0.5 - c, y + 0.5 - c);
			const white = (d <= outer && d >= inner) || d <= inner * 0.3;
			const o = y * (size * 3 + 1) + 1 + x * 3;
			raw[o] = white ? 255 : 11;
			raw[o + 1] = white ? 255 : 79;
			raw[o + 2] = white ? 255 : 108;
		}
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr[8] = 8;
	ihdr[9] = 2;
	return Buffer.concat([
		Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(raw, { level: 9 })),
		chunk('IEND', Buffer.alloc(0))
	]);
}
mkdirSync('static/icons', { recursive: true });
writeFileSync('static/icons/icon-192.png', png(192, 0.8));
writeFileSync('static/icons/icon-512.png', png(512, 0.8));
writeFileSync('static/icons/icon-maskable-512.png', png(512, 0.55));
writeFileSync('static/favicon.png', png(48, 0.85));
