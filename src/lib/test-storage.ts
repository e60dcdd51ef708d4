/** An in-memory `Storage` (localStorage stand-in) for unit tests that run in Node. */
export class MemoryStorage implements Storage {
	#m = new Map<string, string>();
	get length() {
		return this.#m.size;
	}
	clear() {
		this.#m.clear();
	}
	getItem(k: string) {
		return this.#m.get(k) ?? null;
	}
	key(i: number) {
		return [...this.#m.keys()][i] ?? null;
	}
	removeItem(k: string) {
		this.#m.delete(k);
	}
	setItem(k: string, v: string) {
		this.#m.set(k, v);
	}
}
