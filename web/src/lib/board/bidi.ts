/**
 * The direction to isolate a display name in. A name with letters finds its own
 * (`auto`); a phone number has none, and inside Arabic text `auto` would take the
 * page's right-to-left and show `+966 50 123 4567` back to front.
 */
export const nameDir = (name: string): 'auto' | 'ltr' => (/\p{L}/u.test(name) ? 'auto' : 'ltr');

/** A translated sentence split around one value, so the value can be isolated in its own direction. */
export function around(sentence: (placeholder: string) => string): [before: string, after: string] {
  const mark = '\u0000';
  const [before = '', after = ''] = sentence(mark).split(mark);
  return [before, after];
}
