import type { en } from './en';

/** A plural message: one string per `Intl.PluralRules` category the language uses (`other` always). */
export type TPlural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : TPlural };

/** The shape every language dictionary must have: the English keys, strings stay strings, plurals stay plurals. */
export type TMessages = Shape<typeof en>;

export type TMessageKey = {
	[K in keyof TMessages]: TMessages[K] extends string ? K : never;
}[keyof TMessages];
export type TPluralKey = Exclude<keyof TMessages, TMessageKey>;
export type TParams = Record<string, string | number>;
