/** The ASTM stream masking moved to the family, shared with the urine analyzers; re-exported for this driver's hooks and tests. */
export { maskAstmStream } from '../../families/astm/mask.ts';
