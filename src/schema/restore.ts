/**
 * The words for a failed DOWN proof: given the diff from the snapshot
 * taken before UP to the one taken after DOWN, what DOWN left behind,
 * dropped too much, or put back differently.
 */
import type { SchemaChange } from './changes.js';
import {
  LONGEST_QUOTED,
  display,
  fieldNoun,
  fieldValue,
  fieldsToSay,
  flagWords,
  isState,
  isStatement,
  kindWord,
  onWhat,
  privilege,
  quoted,
  statement,
} from './words.js';

export interface RestoreWordsOptions {
  /** What the `before` snapshot was taken after, for "which existed before UP". Default `before UP`. */
  readonly expected?: string;
  /** What the `after` snapshot was taken after. Default `after DOWN`. */
  readonly actual?: string;
}

function grantSentence(c: Extract<SchemaChange, { kind: 'grant' }>, expected: string): string {
  const what = privilege(c.grant);
  const on = onWhat(c);
  if (c.byDefault) {
    return c.change === 'added'
      ? `restored the default ${what} on ${on} to ${c.grant.grantee}, which was revoked ${expected}`
      : `left the default ${what} on ${on} revoked from ${c.grant.grantee}, which was not revoked ${expected}`;
  }
  return c.change === 'added'
    ? `left the grant of ${what} on ${on} to ${c.grant.grantee} behind`
    : `revoked ${what} on ${on} from ${c.grant.grantee}, which was granted ${expected}`;
}

/** One difference as what DOWN did wrong. */
export function describeRestoreChange(c: SchemaChange, options: RestoreWordsOptions = {}): string {
  const expected = options.expected ?? 'before UP';
  const actual = options.actual ?? 'after DOWN';
  const both = (was: string, now: string) => `(${expected}: ${was}; ${actual}: ${now})`;
  switch (c.kind) {
    case 'comment':
      if (c.change === 'added') return `left a comment on ${onWhat(c)} behind: ${quoted(c.after)}`;
      if (c.change === 'dropped') return `dropped the comment on ${onWhat(c)}, which existed ${expected}: ${quoted(c.before)}`;
      return `comment on ${onWhat(c)} is back with different text ${both(quoted(c.before), quoted(c.after))}`;
    case 'owner':
      return `${onWhat(c)} is back with a different owner ${both(c.before, c.after)}`;
    case 'grant':
      return grantSentence(c, expected);
    case 'order':
      return `columns of ${c.on} ${c.name} are back in a different order: ${c.after.join(', ')} (${expected}: ${c.before.join(', ')})`;
  }
  const what = `${kindWord(c)} ${display(c)}`;
  if (c.change === 'added') return `left ${what} behind`;
  if (c.change === 'dropped') return `dropped ${what}, which existed ${expected}`;
  const phrases = fieldsToSay(c.fields).map((f) => {
    const flag = flagWords(f);
    if (flag) return `${flag.label ? `with ${flag.label} ` : ''}${flag.now} (${expected}: ${flag.was})`;
    if (isState(f.field)) return `${fieldValue(f.field, f.after)} (${expected}: ${fieldValue(f.field, f.before)})`;
    const show = (v: unknown) => (isStatement(f) ? statement(v) : fieldValue(f.field, v));
    const long = isStatement(f) && Math.max(show(f.before).length, show(f.after).length) > LONGEST_QUOTED;
    if (long) return `with a different ${fieldNoun(f.field)}`;
    const different = Array.isArray(f.before) || Array.isArray(f.after) ? 'different' : 'a different';
    return `with ${different} ${fieldNoun(f.field)} ${both(show(f.before), show(f.after))}`;
  });
  return `${what} is back ${phrases.join(' and ')}`;
}

/**
 * Every difference between the schema before UP and after DOWN, as what
 * DOWN got wrong:
 * - `left column public.users.nickname behind`
 * - `dropped index public.orders_user_idx, which existed before UP`
 * - `index public.orders_user_idx is back with a different definition (before UP: ...; after DOWN: ...)`
 * - `constraint orders_qty_check on public.orders is back NOT VALID (before UP: validated)`
 * - `columns of table public.users are back in a different order: id, name, nickname (before UP: id, nickname, name)`
 *
 * `options` renames the two moments, for the second proof (UP again must
 * give the schema the first UP gave): `{ expected: 'after the first UP', actual: 'after UP again' }`.
 */
export function describeRestoreDifference(changes: readonly SchemaChange[], options: RestoreWordsOptions = {}): string[] {
  return changes.map((c) => describeRestoreChange(c, options));
}
