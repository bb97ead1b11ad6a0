import type { ExportTarget } from '../../shared/export/targets.ts';
import type { Exporter, ExporterDeps } from './exporter.ts';
import { createFhirExporter } from './fhir/fhir-exporter.ts';
import { createFileExporter } from './file/file-exporter.ts';
import { createHl7Exporter } from './hl7/hl7-exporter.ts';

/** The exporter for a target's kind: the one place that knows every kind. */
export function createExporter(target: ExportTarget, deps: ExporterDeps): Exporter {
  switch (target.kind) {
    case 'fhir':
      return createFhirExporter(target, deps);
    case 'hl7':
      return createHl7Exporter(target, deps);
    case 'file':
      return createFileExporter(target, deps);
  }
}
