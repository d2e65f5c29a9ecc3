import { randomBytes } from 'node:crypto';
import { signStandard, signTwilio } from '../simulate/signers.ts';
import { nowMs, summarize } from './stats.ts';

type Json = (method: string, path: string, body?: unknown) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Acknowledgement time of valid deliveries (API.md §6 asks p99 ≤ 100 ms): Twilio
 * status callbacks moving calls along, and Standard Webhooks transcript turns of
 * live sessions, sent `concurrency` at a time, each genuinely signed.
 */
export async function webhookAcks(baseUrl: string, json: Json, opts: { calls: number; turnsPerCall: number; concurrency: number }) {
  const twilio = await json('POST', '/api/webhook-endpoints', { provider: 'twilio', secret: randomBytes(16).toString('hex') });
  const standard = await json('POST', '/api/webhook-endpoints', { provider: 'standard' });
  const send = async (url: string, signed: { headers: Record<string, string>; body: string }) => {
    const start = nowMs();
    const res = await fetch(`${baseUrl}${new URL(url).pathname}`, { method: 'POST', headers: signed.headers, body: signed.body });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    return nowMs() - start;
  };
  const jobs: (() => Promise<number>)[] = [];
  for (let c = 0; c < opts.calls; c++) {
    const callSid = `CA${randomBytes(16).toString('hex')}`;
    const conversationId = `conv_${randomBytes(8).toString('hex')}`;
    ['initiated', 'ringing', 'in-progress', 'completed'].forEach((status, seq) =>
      jobs.push(() =>
        send(
          twilio.url,
          signTwilio(twilio.secret, twilio.url, {
            CallSid: callSid,
            AccountSid: 'ACbench',
            CallStatus: status,
            Direction: 'outbound-api',
            From: '+966112345678',
            To: `+9665${String(10_000_000 + c).slice(-8)}`,
            SequenceNumber: String(seq),
            Timestamp: new Date().toUTCString(),
            ...(status === 'completed' ? { CallDuration: '42' } : {}),
          }),
        ),
      ),
    );
    for (let t = 0; t < opts.turnsPerCall; t++) {
      const event = { type: 'voice_session.turn', data: { conversationId, role: t % 2 ? 'user' : 'agent', text: `turn ${t} مرحبا`, atSec: t * 2.5 } };
      jobs.push(() => send(standard.url, signStandard(standard.secret, `msg_${randomBytes(8).toString('hex')}`, event)));
    }
  }
  const times: number[] = [];
  const started = nowMs();
  let next = 0;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < jobs.length) times.push(await jobs[next++]!());
    }),
  );
  const seconds = (nowMs() - started) / 1000;
  return { deliveries: times.length, concurrency: opts.concurrency, perSecond: Math.round(times.length / seconds), ackMs: summarize(times) };
}
