import Papa from 'papaparse';

/** A parsed CSV: header names (outer whitespace trimmed) and data records as string arrays. */
export interface TCsvTable {
	header: string[];
	/** Data records; `records[i]` is spreadsheet row i + 2 (the header is row 1). */
	records: string[][];
}

export class CsvError extends Error {}

/**
 * Parses CSV text (comma-separated, RFC 4180 quoting, LF or CRLF) with papaparse. The first
 * record is the header. A UTF-8 byte-order mark is dropped; fully empty lines are skipped.
 * Throws CsvError for an empty file, a duplicate header name, or a malformed quote.
 */
export function parseCsv(text: string): TCsvTable {
	const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const result = Papa.parse<string[]>(clean, { header: false, skipEmptyLines: 'greedy' });
	const fatal = result.errors.find((e) => e.type === 'Quotes');
	if (fatal) {
		throw new CsvError(`CSV record ${(fatal.row ?? 0) + 1}: ${fatal.message}`);
	}
	const [first, ...records] = result.data;
	if (!first) throw new CsvError('the CSV file is empty');
	const header = first.map((h) => h.trim());
	const seen = new Set<string>();
	for (const h of header) {
		if (seen.has(h)) throw new CsvError(`the CSV header names column "${h}" twice`);
		seen.add(h);
	}
	return { header, records };
}

export interface TCsvColumn<T> {
	/** Header text written to the file. */
	header: string;
	/** The value of the cell for one row; null/undefined become an empty cell. */
	value: (row: T) => string | number | boolean | null | undefined;
}

/**
 * Writes rows as CSV (papaparse `unparse`, CRLF, quotes where needed). Text cells that a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) are prefixed with an
 * apostrophe — exported survey answers are untrusted input (OWASP "CSV injection").
 */
export function toCsv<T>(rows: readonly T[], columns: readonly TCsvColumn<T>[]): string {
	return Papa.unparse(
		{
			fields: columns.map((c) => c.header),
			data: rows.map((r) =>
				columns.map((c) => {
					const v = c.value(r);
					if (v === null || v === undefined) return '';
					if (typeof v === 'string' && /^[=+\-@\t\r]/.test(v)) return `'${v}`;
					return String(v);
				})
			)
		},
		{ newline: '\r\n' }
	);
}
