/**
 * Chart.js, loaded on demand: only the staff dashboard calls this, through a dynamic `import()`,
 * so Chart.js is a separate chunk that the resident survey and /scorecard never download.
 * Registers only what the dashboard draws (line, bar, scatter) to keep the chunk small.
 */
import type { Chart as TChart } from 'chart.js';

let loading: Promise<typeof TChart> | undefined;

export function loadChart(): Promise<typeof TChart> {
	loading ??= import('chart.js').then((m) => {
		m.Chart.register(
			m.LineController,
			m.BarController,
			m.ScatterController,
			m.LineElement,
			m.PointElement,
			m.BarElement,
			m.CategoryScale,
			m.LinearScale,
			m.Filler,
			m.Legend,
			m.Tooltip
		);
		return m.Chart;
	});
	return loading;
}
