import type { Actor } from '@callboard/shared';
import { t } from '$lib/i18n.svelte.ts';

/** Who made a change, as people read it: their name, else what kind of caller it was (never an id). */
export function actorName(actor: Actor): string {
  return actor.name ?? t(`customers.actor.${actor.type}`);
}
