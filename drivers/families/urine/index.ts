export { URINE_ANALYTES, codeKey, findUrineAnalyte, urineAnalyteNamed, type UrineAnalyte } from './analytes.ts';
export { URINE_WORDS, splitGrade, urineGrade } from './grades.ts';
export { urineObservation, type UrineResult } from './observation.ts';
export { catalogSpelling, parseUrineValue, type Comparator, type UrineValue } from './values.ts';
