import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Models } from '../db/models.ts';
import { isDuplicateKey } from '../db/platform-models.ts';
import { SecretBox } from './secrets.ts';

const KEY_ID = 'secrets-key';

/** SECRETS_KEY from the config, or one generated once and kept in the database (with a warning). */
export async function loadSecretBox(config: Config, models: Models, log: Logger): Promise<SecretBox> {
  if (config.secretsKey) return new SecretBox(config.secretsKey);
  let stored = await models.platform.findById(KEY_ID).lean().exec();
  if (!stored) {
    try {
      await models.platform.create({ _id: KEY_ID, value: randomBytes(32).toString('base64') });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    stored = await models.platform.findById(KEY_ID).lean().exec();
  }
  log.warn('SECRETS_KEY is unset: using a key kept in the database; set SECRETS_KEY in production');
  return new SecretBox(Buffer.from(stored!.value, 'base64'));
}
