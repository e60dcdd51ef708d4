/**
 * `$lib/import`: CSV import of ETC-style survey microdata through a mapping file, import of
 * operational values and targets, and CSV export of scores and anonymised microdata.
 * Pure TypeScript (papaparse + zod): used by the staff UI and by `npm run survey:import`.
 */
export * from './csv';
export * from './mapping';
export * from './plan';
export * from './apply';
export * from './definition';
export * from './measures';
export * from './export';
export * from './rpc-writer';
export { importResponseId, uuidV5, IMPORT_NAMESPACE } from './uuid';
