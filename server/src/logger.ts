import { pino, type Logger } from 'pino';

export type { Logger };

/** The root logger; modules take a child with their name. Secrets are redacted by path. */
export function createLogger(level: string, nodeId: string): Logger {
  return pino({
    level,
    base: { node: nodeId },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-twilio-signature"]',
        'req.headers["elevenlabs-signature"]',
        'req.headers["webhook-signature"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
  });
}
