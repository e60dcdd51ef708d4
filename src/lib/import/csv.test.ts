import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv, toCsv } from './csv';

describe('reading CSV', () => {
	it('reads quoted fields, CRLF and a byte-order mark; skips empty lines', () => {
		const t = parseCsv(
			'\uFEFFid, name ,note\r\n1,"Smith, Ann","said ""hi""\nthen left"\r\n\r\n2,Bo,\r\n'
		);
		expect(t.header).toEqual(['id', 'name', 'note']);
		expect(t.records).toEqual([
			['1', 'Smith, Ann', 'said "hi"\nthen left'],
			['2', 'Bo', '']
		]);
	});

	it('rejects an empty file and a header naming a column twice', () => {
		expect(() => parseCsv('')).toThrow(CsvError);
		expect(() => parseCsv('id,q1,q1\n1,2,3')).toThrow('the CSV header names column "q1" twice');
	});

	it('rejects a broken quote instead of guessing', () => {
		expect(() => parseCsv('id,q\n1,"unterminated\n2,3')).toThrow(CsvError);
	});
});

describe('writing CSV', () => {
	it('quotes where needed and round-trips through a CSV reader', () => {
		const rows = [
			{ a: 'x, y', b: 1.5, c: null },
			{ a: 'line\nbreak', b: -2, c: true }
		];
		const text = toCsv(rows, [
			{ header: 'a', value: (r) => r.a },
			{ header: 'b', value: (r) => r.b },
			{ header: 'c', value: (r) => r.c }
		]);
		expect(Papa.parse(text).data).toEqual([
			['a', 'b', 'c'],
			['x, y', '1.5', ''],
			['line\nbreak', '-2', 'true']
		]);
	});

	it('neutralises spreadsheet formulas in text cells (CSV injection), not in numbers', () => {
		const text = toCsv(
			[{ t: '=HYPERLINK("http://evil")', n: -3 }],
			[
				{ header: 't', value: (r) => r.t },
				{ header: 'n', value: (r) => r.n }
			]
		);
		expect(Papa.parse(text).data[1]).toEqual([`'=HYPERLINK("http://evil")`, '-3']);
	});
});
