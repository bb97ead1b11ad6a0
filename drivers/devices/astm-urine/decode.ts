import { type AstmRecord, AstmRecordSplitter, component, fieldText } from '../../families/astm/records.ts';

/**
 * E1394 records → the analyzer's message in its own terms (PROTOCOL.md §2): the header, then one
 * sample per O record with the patient (P) it belongs to, its results (R) and comments (C). Pure;
 * never throws. Completeness is decided here too: a message is whole only when its L record came.
 */

/** One R record as sent (PROTOCOL.md §2.4). */
export interface AstmResult {
  /** The analyzer's test code: the universal test ID's 4th component (or the first one filled). */
  code: string;
  /** Field 4: the value as sent (`Negative`, `5`, `1.020`, `>=300`). */
  value: string;
  /** Field 5: the unit as sent, '' when none. */
  unit: string;
  /** Field 6: the reference range as sent. */
  range: string;
  /** Field 7: the abnormal flag (`N`, `A`, `H`, `L`, `HH`, `LL`, `<`, `>`). */
  flag: string;
  /** Field 9: the result status (`F` final, `X` cannot be done, …). */
  status: string;
  operator: string;
  /** Field 13: when the test completed, `YYYYMMDDHHMMSS` as sent. */
  completed: string;
}

/** One sample: an O record and what followed it. */
export interface AstmSample {
  patientId: string;
  patientName: string;
  /** O field 3 (specimen ID), else field 4 (instrument specimen ID). */
  sampleId: string;
  /** O field 8 (collected), else field 7 (requested). */
  orderTime: string;
  results: AstmResult[];
  /** C records' texts (field 4), in order, prefixed with the test code when they follow an R. */
  notes: string[];
}

/** The header's sender (H field 5: name^version^serial, as analyzers fill it). */
export interface AstmSender {
  name: string;
  version: string;
  serial: string;
}

export interface AstmMessage {
  sender: AstmSender;
  /** H field 12: `P` production, `Q` quality control, `T` training, `D` debugging. */
  processingId: string;
  /** H field 14, `YYYYMMDDHHMMSS`. */
  headerTime: string;
  samples: AstmSample[];
  /** L field 3: `N` normal; `T` sender aborted, `E` error (PROTOCOL.md §2.5). '' until L came. */
  termination: string;
}

/** Builds one message from its records, in order. Records before an H are ignored (reported). */
export class AstmMessageBuilder {
  private splitter = new AstmRecordSplitter();
  private message: AstmMessage | undefined;
  private patient = { id: '', name: '' };
  private sample: AstmSample | undefined;
  private last: AstmRecord | undefined;
  private count = 0;

  /** Records taken into the message in progress (0: none). */
  get records(): number {
    return this.count;
  }

  /** Forget the message in progress (a new ENQ, a discarded transfer). */
  reset(): void {
    this.message = undefined;
    this.patient = { id: '', name: '' };
    this.sample = undefined;
    this.last = undefined;
    this.count = 0;
  }

  /**
   * Take one record. Returns the whole message when the record was its L, a problem text when the
   * record cannot be used (kept out, the message goes on).
   */
  add(text: string): { message?: AstmMessage; problem?: string } {
    const { record, problem } = this.splitter.split(text);
    if (record.type === 'H') {
      this.reset();
      this.count = 1;
      const sender: AstmSender = { name: component(record, 5, 1), version: component(record, 5, 2), serial: component(record, 5, 3) };
      this.message = { sender, processingId: fieldText(record, 12), headerTime: fieldText(record, 14), samples: [], termination: '' };
      return problem ? { problem } : {};
    }
    const message = this.message;
    if (!message) return { problem: `a ${record.type || '?'} record before any header (H) record was ignored: ${text.slice(0, 40)}` };
    this.count++;
    switch (record.type) {
      case 'P':
        this.patient = { id: fieldText(record, 3) || fieldText(record, 4) || fieldText(record, 5), name: nameOf(record) };
        this.sample = undefined;
        break;
      case 'O':
        this.sample = this.newSample(record);
        message.samples.push(this.sample);
        break;
      case 'R':
        this.current(message).results.push(resultOf(record));
        break;
      case 'C': {
        const note = commentOf(record);
        const about = this.last?.type === 'R' ? resultOf(this.last).code : '';
        if (note !== '') this.current(message).notes.push(about ? `${about}: ${note}` : note);
        break;
      }
      case 'L': {
        message.termination = fieldText(record, 3) || 'N';
        const whole = message;
        this.reset();
        return { message: whole };
      }
      default:
        // M (manufacturer), S (scientific), Q (request) carry nothing the hub uses.
        break;
    }
    this.last = record;
    return {};
  }

  private newSample(record: AstmRecord): AstmSample {
    return {
      patientId: this.patient.id,
      patientName: this.patient.name,
      sampleId: fieldText(record, 3) || fieldText(record, 4),
      orderTime: fieldText(record, 8) || fieldText(record, 7),
      results: [],
      notes: [],
    };
  }

  /** Results without an O record (some analyzers send H P R L) belong to an anonymous sample. */
  private current(message: AstmMessage): AstmSample {
    if (!this.sample) {
      this.sample = { patientId: this.patient.id, patientName: this.patient.name, sampleId: '', orderTime: '', results: [], notes: [] };
      message.samples.push(this.sample);
    }
    return this.sample;
  }
}

function resultOf(record: AstmRecord): AstmResult {
  const parts = [1, 2, 3, 4].map((c) => component(record, 3, c).trim());
  const code = parts[3] || parts.find((p) => p !== '') || '';
  return {
    code,
    value: fieldText(record, 4).trim(),
    unit: fieldText(record, 5).trim(),
    range: fieldText(record, 6).trim(),
    flag: fieldText(record, 7).trim(),
    status: fieldText(record, 9).trim(),
    operator: fieldText(record, 11).trim(),
    completed: fieldText(record, 13).trim(),
  };
}

function nameOf(record: AstmRecord): string {
  const [last = '', first = '', middle = ''] = [1, 2, 3].map((c) => component(record, 6, c).trim());
  return [last, [first, middle].filter((p) => p !== '').join(' ')].filter((p) => p !== '').join(', ');
}

function commentOf(record: AstmRecord): string {
  // Field 4 may have components (code^text): keep them, joined by a space.
  return fieldText(record, 4)
    .split(record.delimiters.component)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .join(' ');
}

/** `YYYYMMDDHHMMSS` (or `YYYYMMDDHHMM`) → local `YYYY-MM-DDTHH:MM:SS`; undefined when not a date-time. */
export function astmDateTime(text: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00'] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}`;
}
