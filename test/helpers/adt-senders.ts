import { Hl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import { Client, Message, type InboundResponse } from 'node-hl7-client';
import { unescapeHl7 } from '../../main/export/hl7/escape.ts';

/** The parts of an ADT message a test varies; the rest is a plain, valid ADT from "EPIC^HOSP". */
export interface AdtSpec {
  event: string;
  controlId: string;
  mrn?: string;
  /** PID-5 as sent, e.g. `DOE^JANE^Q`. */
  name?: string;
  /** PID-7 as sent. */
  dob?: string;
  sex?: string;
  visitNumber?: string;
  /** PV1-3 as sent, e.g. `WARD1^101`. */
  location?: string;
  /** PV1-44 as sent. */
  admitTime?: string;
  /** A40: MRG-1's MRN. */
  prior?: string;
  sendingApp?: string;
  sendingFacility?: string;
  messageType?: string;
  /** Leave the PID out. */
  noPid?: boolean;
}

/** One ADT message (segments joined by CR), as an EHR interface engine sends it. */
export function adtMessage(s: AdtSpec): string {
  const pid = `PID|1||${s.mrn ?? 'MRN-1'}^^^HOSP^MR~999-11-2222^^^SSA^SS||${s.name ?? 'DOE^JANE'}||${s.dob ?? '19800115'}|${s.sex ?? 'F'}`;
  const segments = [
    `MSH|^~\\&|${s.sendingApp ?? 'EPIC'}|${s.sendingFacility ?? 'HOSP'}|POCHUB|WARD|20261207091500+0100||${s.messageType ?? 'ADT'}^${s.event}^ADT_A01|${s.controlId}|P|2.5.1`,
    `EVN|${s.event}|20261207091500+0100`,
    ...(s.noPid ? [] : [pid]),
    ...(s.prior === undefined ? [] : [`MRG|${s.prior}^^^HOSP^MR`]),
    `PV1|1|O|${s.location ?? 'WARD1^101'}||||||||||||||||${s.visitNumber ?? ''}${'|'.repeat(25)}${s.admitTime ?? ''}`,
  ];
  return `${segments.join('\r')}\r`;
}

/** What an ACK said: MSA-1, MSA-2, MSA-3 and ERR-3.1 (if any). */
export interface AckSeen {
  code: string;
  controlId: string;
  text: string;
  errCode: string;
}

function ackOfMedplum(ack: Hl7Message): AckSeen {
  const msa = ack.getSegment('MSA');
  const err = ack.getSegment('ERR');
  return {
    code: msa?.getField(1)?.toString() ?? '',
    controlId: msa?.getField(2)?.toString() ?? '',
    text: unescapeHl7(msa?.getField(3)?.toString() ?? ''),
    errCode: err?.getField(3)?.getComponent(1) ?? '',
  };
}

/** Send each message with Medplum's HL7 client on one connection, waiting for each ACK. */
export async function sendWithMedplum(port: number, messages: readonly string[]): Promise<AckSeen[]> {
  const client = new Hl7Client({ host: '127.0.0.1', port });
  try {
    const acks: AckSeen[] = [];
    for (const m of messages) acks.push(ackOfMedplum(await client.sendAndWait(Hl7Message.parse(m), { timeoutMs: 20_000 })));
    return acks;
  } finally {
    await client.close();
  }
}

/** Send each message with node-hl7-client on one connection; resolves with the ACKs in order. */
export async function sendWithNodeHl7(port: number, messages: readonly string[]): Promise<AckSeen[]> {
  const client = new Client({ host: '127.0.0.1' });
  const acks: AckSeen[] = [];
  let next: (() => void) | undefined;
  const connection = client.createConnection({ port, waitAck: true }, async (res: InboundResponse) => {
    const m = res.getMessage();
    acks.push({ code: m.get('MSA.1').toString(), controlId: m.get('MSA.2').toString(), text: m.get('MSA.3').toString(), errCode: m.exists('ERR') ? m.get('ERR.3.1').toString() : '' });
    next?.();
  });
  try {
    for (const text of messages) {
      const answered = new Promise<void>((resolve) => (next = resolve));
      await connection.sendMessage(new Message({ text }));
      await answered;
    }
    return acks;
  } finally {
    await connection.close();
  }
}
