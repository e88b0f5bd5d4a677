// Roam's cron against hashicorp/cronexpr, Nomad's library: test/oracle/cron/table.tsv holds what
// cronexpr computed (generate.sh) for every expression of expressions.txt at reference times in
// UTC, America/New_York (across both 2024 DST transitions) and Asia/Kolkata. Rows listed in
// DIVERGENCES are cases where Roam deliberately differs; each says why and what Roam does instead.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { CronExpression, cronParseError, nextLaunch } from './cron.js';

const TABLE = new URL('../../test/oracle/cron/table.tsv', import.meta.url);

interface Row {
  expr: string;
  zone: string;
  from: string;
  want: string;
}

function rows(): Row[] {
  return fs
    .readFileSync(TABLE, 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [expr, zone, from, want] = l.split('\t') as [string, string, string, string];
      return { expr, zone, from, want };
    });
}

function ours(expr: string, zone: string, from: string): string {
  let e: CronExpression;
  try {
    e = CronExpression.parse(expr);
  } catch (err) {
    return `ERR ${(err as Error).message}`;
  }
  const out: string[] = [];
  let t: Date | null = new Date(from);
  for (let i = 0; i < 3 && t; i++) {
    t = e.next(t, zone);
    out.push(t ? t.toISOString().replace('.000Z', 'Z') : 'none');
  }
  return out.join(' ');
}

/** Expressions where Roam deliberately differs from cronexpr, with what Roam does instead. */
const DIVERGENCES: Record<string, string> = {
  // cronexpr builds an empty value list from a reversed range and then never fires (or panics at
  // launch time in Nomad, which reports it then); Roam rejects the expression when the job is
  // registered.
  '50-10 * * * *': 'ERR invalid range 50-10 in minute field: 50 is after 10',
  '0 0 * * 6-1': 'ERR invalid range 6-1 in day-of-week field: 6 is after 1',
  '0 0 20-10 * *': 'ERR invalid range 20-10 in day-of-month field: 20 is after 10',
};

describe('cron: equivalence with hashicorp/cronexpr (test/oracle/cron/table.tsv)', () => {
  const all = rows();
  it('has hundreds of expressions across zones', () => {
    assert.ok(new Set(all.map((r) => r.expr)).size >= 200);
    assert.ok(all.length >= 2000);
  });
  const byExpr = new Map<string, Row[]>();
  for (const r of all) byExpr.set(r.expr, [...(byExpr.get(r.expr) ?? []), r]);
  for (const [expr, rs] of byExpr) {
    it(JSON.stringify(expr), () => {
      for (const r of rs) {
        const want = DIVERGENCES[expr] ?? r.want;
        assert.equal(ours(r.expr, r.zone, r.from), want, `${JSON.stringify(expr)} in ${r.zone} after ${r.from}`);
      }
    });
  }
});

describe('cron: semantics users rely on', () => {
  it('reads six fields as minute…day-of-week + year, not seconds-first', () => {
    const e = CronExpression.parse('15 10 * * * 2027');
    assert.equal(e.next(new Date('2026-03-07T12:00:01Z'))?.toISOString(), '2027-01-01T10:15:00.000Z');
  });

  it('launches every three seconds with a 7-field spec (the quick-start job)', () => {
    const e = CronExpression.parse('0/3 * * * * * *');
    assert.equal(e.next(new Date('2024-01-01T00:00:01.200Z'))?.toISOString(), '2024-01-01T00:00:03.000Z');
    assert.equal(e.next(new Date('2024-01-01T00:00:03.000Z'))?.toISOString(), '2024-01-01T00:00:06.000Z');
  });

  it('skips wall-clock times in a spring-forward gap and fires twice at fall-back (America/New_York)', () => {
    const e = CronExpression.parse('30 2 * * *');
    assert.equal(e.next(new Date('2024-03-09T12:00:00Z'), 'America/New_York')?.toISOString(), '2024-03-11T06:30:00.000Z');
    const f = CronExpression.parse('30 1 * * *');
    const first = f.next(new Date('2024-11-03T04:00:00Z'), 'America/New_York');
    assert.equal(first?.toISOString(), '2024-11-03T05:30:00.000Z');
    assert.equal(first && f.next(first, 'America/New_York')?.toISOString(), '2024-11-03T06:30:00.000Z');
  });

  it('takes the earliest next launch of several crons', () => {
    const p = { Spec: '', Specs: ['0 12 * * *', '30 6 * * *'], TimeZone: 'UTC' };
    assert.equal(nextLaunch(p, new Date('2024-05-01T07:00:00Z'))?.toISOString(), '2024-05-01T12:00:00.000Z');
    assert.equal(nextLaunch(p, new Date('2024-05-01T13:00:00Z'))?.toISOString(), '2024-05-02T06:30:00.000Z');
  });

  it('computes the next launch in the periodic block\'s time zone', () => {
    const p = { Spec: '0 9 * * *', Specs: null, TimeZone: 'Asia/Tokyo' };
    assert.equal(nextLaunch(p, new Date('2024-05-01T01:00:00Z'))?.toISOString(), '2024-05-02T00:00:00.000Z');
  });

  it('returns null after the last representable year', () => {
    assert.equal(CronExpression.parse('0 0 1 1 * 2030').next(new Date('2031-01-01T00:00:00Z')), null);
  });

  it("reports cronexpr's messages", () => {
    assert.equal(cronParseError('* * * *'), 'missing field(s)');
    assert.equal(cronParseError('61 * * * *'), "syntax error in minute field: '61'");
    assert.equal(cronParseError('*/0 * * * *'), 'invalid interval */0');
    assert.equal(cronParseError('0 0 * * 5#6'), "syntax error in day-of-week field: '5#6'");
    assert.equal(cronParseError('@daily'), undefined);
  });
});
