/**
 * No trace annotator: the report file arrives as UTF-8 text and a trace already shows it as text
 * (docs/trace-format.md §1). Serial numbers are the meter's and rows carry no patient name, so
 * there is nothing to mask (PROTOCOL.md §2).
 */
export const TRACE_ANNOTATION = 'none: the report is shown as text' as const;
