import type { CatalogKey } from './catalog.ts';

/**
 * Short names for screens and messages (the review screen, plausibility sentences): the
 * catalog's LOINC display names are exact but too long to read at arm's length ("Oxygen
 * saturation in Arterial blood by Pulse oximetry"); the full name stays available as the
 * element's title. Keyed by catalog key so a new code must get one.
 */
export const SHORT_NAMES: Readonly<Record<CatalogKey, string>> = {
  bpPanel: 'Blood pressure',
  bpSystolic: 'Systolic',
  bpDiastolic: 'Diastolic',
  bpMean: 'Mean BP',
  heartRate: 'Pulse',
  pulseRateOximeter: 'Pulse',
  pulseRateNibp: 'Pulse',
  respiratoryRate: 'Resp. rate',
  bodyTemperature: 'Temperature',
  spo2: 'SpO₂',
  bodyWeight: 'Weight',
  bodyHeight: 'Height',
  bmi: 'BMI',
  headCircumference: 'Head circumference',
  glucoseMassMeter: 'Glucose',
  glucoseMolarMeter: 'Glucose',
  bloodKetoneMeter: 'Blood ketone',
  urinePanel: 'Urinalysis',
  urineGlucosePresence: 'Urine glucose',
  urineGlucoseMass: 'Urine glucose',
  urineBilirubinPresence: 'Bilirubin',
  urineKetonesPresence: 'Ketones',
  urineKetonesMass: 'Ketones',
  urineSpecificGravity: 'Specific gravity',
  urineBloodPresence: 'Blood (urine)',
  urinePh: 'pH',
  urineProteinPresence: 'Protein',
  urineProteinMass: 'Protein',
  urineUrobilinogenMass: 'Urobilinogen',
  urineNitritePresence: 'Nitrite',
  urineLeukocytesPresence: 'Leukocytes',
  urineColor: 'Color',
  urineClarity: 'Clarity',
};
