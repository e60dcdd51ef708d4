/**
 * A small trend line of a measure against its target, as SVG path data (no Chart.js: the
 * public scorecard draws dozens of these and must stay light). Pure, so it is unit-tested; the
 * picture is decorative and always sits beside the figures in words and a data table.
 */
import type { TTrendPoint } from '$domain/scorecard';

export interface TSparkline {
	/** The values as a polyline (`M x y L x y …`); '' with fewer than one value. */
	values: string;
	/** The target per period as a dashed step line; '' without targets. */
	targets: string;
	/** Dots for each value (so a single point still shows). */
	dots: { x: number; y: number }[];
	width: number;
	height: number;
}

const round = (x: number) => Math.round(x * 10) / 10;

export function sparkline(
	points: readonly Pick<TTrendPoint, 'value' | 'target'>[],
	width = 120,
	height = 32,
	pad = 3
): TSparkline {
	const numbers = points.flatMap((p) => [p.value, p.target]).filter((v) => v !== null) as number[];
	const empty = { values: '', targets: '', dots: [], width, height };
	if (numbers.length === 0) return empty;
	let lo = Math.min(...numbers);
	let hi = Math.max(...numbers);
	if (hi === lo) {
		// A flat series sits in the middle instead of dividing by zero.
		lo -= 1;
		hi += 1;
	}
	const n = points.length;
	const x = (i: number) => round(n === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (n - 1));
	const y = (v: number) => round(pad + ((hi - v) * (height - 2 * pad)) / (hi - lo));

	// A gap (null) lifts the pen: the next value starts a new segment.
	const path = (pick: (p: Pick<TTrendPoint, 'value' | 'target'>) => number | null) => {
		const parts: string[] = [];
		let pen = false;
		points.forEach((p, i) => {
			const v = pick(p);
			if (v === null) {
				pen = false;
				return;
			}
			parts.push(`${pen ? 'L' : 'M'}${x(i)} ${y(v)}`);
			pen = true;
		});
		return parts.join(' ');
	};

	return {
		values: path((p) => p.value),
		targets: path((p) => p.target),
		dots: points.flatMap((p, i) => (p.value === null ? [] : [{ x: x(i), y: y(p.value) }])),
		width,
		height
	};
}
