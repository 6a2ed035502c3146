/**
 * SQL the lint cannot read: a DO block or a called routine that runs SQL
 * built at run time (`EXECUTE format(...)`), or a body in a language other
 * than PL/pgSQL or SQL. Its locks and rewrites are not predicted; verify
 * runs it and reports what it did.
 */
import type { Body } from '../action.js';
import type { SchemaModel } from '../model.js';
import { ruleDocs, type HazardBase, type Rule } from '../rule.js';

export interface NotAnalysedHazard extends HazardBase<'not-analysed'> {
  /** What could not be read: `EXECUTE of SQL built at run time (line 4 of the body)`. */
  readonly reason: string;
  /** `This DO block`, `The routine app.backfill()`. */
  readonly holder: string;
}

const hazard = (holder: string, body: Body | undefined): NotAnalysedHazard[] =>
  body?.unanalysed[0] === undefined ? [] : [{ rule: 'not-analysed', holder, reason: body.unanalysed[0] }];

const called = (routines: readonly string[], model: SchemaModel): NotAnalysedHazard[] =>
  routines.flatMap((r) => hazard(`The routine ${r}() it calls`, model.routine(r))).slice(0, 1);

export const notAnalysed: Rule<NotAnalysedHazard> = {
  meta: {
    name: 'not-analysed',
    family: 'other',
    level: 'warning',
    summary:
      'a DO block or called routine whose SQL is built at run time (EXECUTE) or in another language: not analysed, observed by verify',
    docs: ruleDocs('not-analysed'),
  },
  check: {
    statement: {
      do: (action) => hazard('This DO block', action),
      call: (action, { model }) => called(action.routines, model),
    },
  },
  advise: ({ holder, reason }) => ({
    message: `${holder} runs ${reason}, which pgshift cannot read: its locks and rewrites are not predicted.`,
    instead:
      'write the statements as plain SQL where you can; `pgshift verify` runs it and reports the locks it takes and the tables it rewrites.',
  }),
};
