/** Live-trace hooks: the FreeStyle serial family's (lines, dump checksum on the END line). */
export { freestyleTraceAnnotator as traceAnnotator } from '../../families/freestyle-serial/trace.ts';
