import { ByteBuffer, type Framer, type FramerOutput, type FramingProblem } from '../../kit/index.ts';
import { APDU } from './nomenclature.ts';

const CHOICES: ReadonlySet<number> = new Set(Object.values(APDU));
const RELEASE_CHOICES: ReadonlySet<number> = new Set([APDU.rlrq, APDU.rlre, APDU.abrt]);

/**
 * Cuts a byte stream into whole APDUs by their header (README.md §1): a u16 choice from the APDU
 * table and a u16 length of the rest. A PHDC bulk read normally holds exactly one APDU, but the
 * Link promises nothing about chunk boundaries, so the framer reassembles. Bytes that cannot start
 * an APDU (an unknown choice, a release with a length other than 2, a PRST whose inner length
 * disagrees) are skipped one by one and reported once per run as PROTOCOL_GARBAGE.
 */
export class ApduFramer implements Framer<Uint8Array> {
  private buffer = new Uint8Array(0);
  private readonly skipped = new ByteBuffer();

  push(chunk: Uint8Array): FramerOutput<Uint8Array> {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    const frames: Uint8Array[] = [];
    const problems: FramingProblem[] = [];
    let at = 0;
    while (at < joined.length) {
      const verdict = headerVerdict(joined, at);
      if (verdict === 'need-more') break;
      if (verdict === 'bad') {
        this.skipped.push(joined[at] as number);
        at++;
        continue;
      }
      this.reportSkipped(problems);
      const end = at + 4 + verdict;
      if (end > joined.length) break;
      frames.push(joined.slice(at, end));
      at = end;
    }
    this.buffer = joined.slice(at);
    return { frames, problems };
  }

  flush(): FramerOutput<Uint8Array> {
    const problems: FramingProblem[] = [];
    this.reportSkipped(problems);
    if (this.buffer.length > 0) {
      problems.push({ code: 'PROTOCOL_TRUNCATED', message: `an APDU was cut short (${this.buffer.length} byte(s) of it arrived)`, raw: this.buffer });
      this.buffer = new Uint8Array(0);
    }
    return { frames: [], problems };
  }

  private reportSkipped(problems: FramingProblem[]): void {
    if (this.skipped.length === 0) return;
    const raw = this.skipped.take();
    problems.push({ code: 'PROTOCOL_GARBAGE', message: `${raw.length} byte(s) that start no IEEE 11073 APDU skipped`, raw });
  }
}

/** At `at`: the body length of a plausible APDU header, `bad` when it cannot be one, or `need-more`. */
function headerVerdict(b: Uint8Array, at: number): number | 'bad' | 'need-more' {
  const avail = b.length - at;
  if (avail < 1) return 'need-more';
  if (((b[at] as number) & 0xf0) !== 0xe0) return 'bad';
  if (avail < 2) return 'need-more';
  const choice = ((b[at] as number) << 8) | (b[at + 1] as number);
  if (!CHOICES.has(choice)) return 'bad';
  if (avail < 4) return 'need-more';
  const length = ((b[at + 2] as number) << 8) | (b[at + 3] as number);
  if (RELEASE_CHOICES.has(choice)) return length === 2 ? length : 'bad';
  if (choice === APDU.prst) {
    if (length < 8) return 'bad';
    if (avail < 6) return 'need-more';
    const inner = ((b[at + 4] as number) << 8) | (b[at + 5] as number);
    if (inner !== length - 2) return 'bad';
  }
  return length;
}
