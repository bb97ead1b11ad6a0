/** Where a command writes: standard output for results, standard error for everything else. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Is standard error a terminal (progress bars)? */
  readonly errIsTty: boolean;
  /** Write to standard error without a newline (progress bars redraw one line). */
  errRaw?(text: string): void;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  errIsTty: Boolean(process.stderr.isTTY),
  errRaw: (text) => process.stderr.write(text),
};
