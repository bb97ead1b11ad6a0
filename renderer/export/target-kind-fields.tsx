import { FILE_FORMATS, HL7_PROFILES } from '../../shared/export/targets.ts';
import type { TargetDraft } from './target-draft.ts';
import { INPUT_LIMITS } from '../../shared/api/input-limits.ts';
import { SelectField, TextField, msHint, type SetField } from './target-fields.tsx';

interface KindFieldsProps {
  readonly draft: TargetDraft;
  readonly set: SetField;
}

const AUTH_OPTIONS = [
  { value: 'none', text: 'None' },
  { value: 'bearer', text: 'Bearer token' },
  { value: 'smart', text: 'SMART Backend Services (signed key)' },
] as const;

/** FHIR R4 server: address, patient identifier system, authentication, CA file, timeout. */
export function FhirFields({ draft, set }: KindFieldsProps): React.JSX.Element {
  const p = { draft, set };
  return (
    <fieldset className="target-fieldset">
      <legend>FHIR server</legend>
      <TextField {...p} field="baseUrl" max={INPUT_LIMITS.url} label="FHIR base URL" hint="https://…; plain http only to this machine (127.0.0.1 / localhost)." />
      <TextField {...p} field="patientIdentifierSystem" max={INPUT_LIMITS.targetSystem} label="Patient identifier system" hint="The system of the EHR's MRN, e.g. urn:oid:… or https://hospital.example/mrn." />
      <SelectField {...p} field="authType" label="Authentication" options={AUTH_OPTIONS} />
      {draft.authType === 'smart' && (
        <>
          <TextField {...p} field="clientId" max={INPUT_LIMITS.targetText} label="Client id" />
          <TextField {...p} field="privateKeyFile" max={INPUT_LIMITS.filePath} label="Private key file" hint="Path of the PEM file on this workstation; the key never goes into the database." />
          <TextField {...p} field="keyId" max={INPUT_LIMITS.targetText} label="Key id (kid)" />
          <SelectField {...p} field="alg" label="Signing algorithm" options={[{ value: 'RS384', text: 'RS384' }, { value: 'ES384', text: 'ES384' }]} />
          <TextField {...p} field="scope" max={INPUT_LIMITS.scope} label="Scope" />
          <TextField {...p} field="tokenUrl" max={INPUT_LIMITS.url} label="Token URL (optional)" hint="Empty: taken from the server's .well-known/smart-configuration." />
        </>
      )}
      <TextField {...p} field="caFile" max={INPUT_LIMITS.filePath} label="CA certificates file (optional)" hint="A PEM file with the hospital's own CA. Certificates are always checked." />
      <TextField {...p} field="timeoutMs" label="Timeout (ms)" numeric hint={msHint(draft.timeoutMs, 'How long to wait for the server.')} />
    </fieldset>
  );
}

/** HL7 v2 over MLLP: address, profile, MSH names, processing id, assigning authority, ACK timeout. */
export function Hl7Fields({ draft, set }: KindFieldsProps): React.JSX.Element {
  const p = { draft, set };
  return (
    <fieldset className="target-fieldset">
      <legend>HL7 v2 receiver (MLLP)</legend>
      <TextField {...p} field="host" max={INPUT_LIMITS.targetHost} label="Host" />
      <TextField {...p} field="port" label="Port" numeric />
      <SelectField
        {...p}
        field="profile"
        label="Message profile"
        options={HL7_PROFILES.map((v) => ({ value: v, text: v === 'pcd-01' ? 'IHE PCD-01 (v2.6)' : 'ORU^R01 v2.5.1' }))}
      />
      <TextField {...p} field="sendingApplication" max={INPUT_LIMITS.hl7Name} label="Sending application (MSH-3)" />
      <TextField {...p} field="sendingFacility" max={INPUT_LIMITS.hl7Name} label="Sending facility (MSH-4)" />
      <TextField {...p} field="receivingApplication" max={INPUT_LIMITS.hl7Name} label="Receiving application (MSH-5)" />
      <TextField {...p} field="receivingFacility" max={INPUT_LIMITS.hl7Name} label="Receiving facility (MSH-6)" />
      <SelectField
        {...p}
        field="processingId"
        label="Processing id (MSH-11)"
        options={[
          { value: 'P', text: 'P: production' },
          { value: 'T', text: 'T: training' },
          { value: 'D', text: 'D: debugging' },
        ]}
      />
      <TextField {...p} field="patientAssigningAuthority" max={INPUT_LIMITS.hl7Name} label="MRN assigning authority (PID-3.4)" />
      <TextField {...p} field="ackTimeoutMs" label="ACK timeout (ms)" numeric hint={msHint(draft.ackTimeoutMs, 'How long to wait for the receiver’s acknowledgement.')} />
    </fieldset>
  );
}

const FORMAT_TEXT: Readonly<Record<(typeof FILE_FORMATS)[number], string>> = {
  ndjson: 'NDJSON (one reading a line)',
  csv: 'CSV',
  'fhir-bundle': 'FHIR bundle (JSON)',
};

/** Files in a directory (a shared folder an interface engine picks up). */
export function FileFields({ draft, set }: KindFieldsProps): React.JSX.Element {
  const p = { draft, set };
  return (
    <fieldset className="target-fieldset">
      <legend>Files</legend>
      <TextField {...p} field="directory" max={INPUT_LIMITS.filePath} label="Directory" hint="Where the files are written, on this workstation or a mounted share." />
      <SelectField {...p} field="format" label="File format" options={FILE_FORMATS.map((v) => ({ value: v, text: FORMAT_TEXT[v] }))} />
      {draft.format === 'fhir-bundle' && <TextField {...p} field="patientIdentifierSystem" max={INPUT_LIMITS.targetSystem} label="Patient identifier system" />}
    </fieldset>
  );
}
