/** Report items of the UI section: one per figure and percentile, against the small entity. */
import os from 'node:os';
import { BenchItem, percentile, round } from '../lib/report';
import type { ShownByTabs } from './backend';
import type { PageResult } from './page';
import type { SeededEntity } from './seed';

/** RAIL: a view that loads data should be shown within 1 s */
const LOAD_GOAL_MS = 1000;
/** RAIL: respond to input (a scroll, a click during a poll) within 100 ms */
const RESPONSE_GOAL_MS = 100;

interface Figure {
  /** e.g. "Pod health tab, 1000 pods" */
  what: string;
  engine: string;
  /** samples of the large entity and of the baseline (small entity), ms */
  large: number[];
  small: number[];
  percentiles: Array<50 | 95>;
  goalMs: number;
  /** where the goal comes from, e.g. "RAIL load" */
  goalSource: string;
  /** what the reader needs to interpret the figure, at a percentile */
  note(p: number): string;
}

const ms = (n: number) => `${Math.round(n)} ms`;

function figureItems(f: Figure): BenchItem[] {
  return f.percentiles.map(p => {
    const value = round(percentile(f.large, p));
    const baseline = round(percentile(f.small, p));
    const met = value <= f.goalMs;
    const at = p === 50 ? 'median' : `p${p}`;
    return {
      name: `ui: ${f.what}, ${at} (${f.engine})`,
      value,
      unit: 'ms',
      baseline,
      ratio: baseline > 0 ? round(value / baseline) : undefined,
      goal: `≤ ${f.goalMs} ms ${at === 'median' ? 'median' : `at ${at}`} (${
        f.goalSource
      })`,
      met,
      note: `${f.note(p)}${
        met
          ? ''
          : `; missed with the machine at load average ${os
              .loadavg()[0]
              .toFixed(1)} on ${os.cpus().length} cores`
      }`,
    };
  });
}

export interface TabRounds {
  podsLarge: PageResult[];
  podsSmall: PageResult[];
  logsLarge: PageResult[];
  logsSmall: PageResult[];
}

const mountToReady = (r: PageResult) => r.readyAt - r.mountAt;
const each = (rs: PageResult[], f: (r: PageResult) => number) => rs.map(f);
const at = (rs: PageResult[], f: (r: PageResult) => number, p: number) =>
  ms(percentile(each(rs, f), p));

/** Every item of one engine: tab loads (median, p95), logs scroll, refresh cost per tab. */
export function tabItems(options: {
  engine: string;
  rounds: TabRounds;
  shown: { large: ShownByTabs; small: ShownByTabs };
  large: SeededEntity;
  small: SeededEntity;
}): BenchItem[] {
  const { engine, rounds, shown, large, small } = options;
  const split = (measured: PageResult[], base: PageResult[], p: number) =>
    `${
      measured.length
    } fresh page loads, mount → data painted; navigation → painted ${at(
      measured,
      r => r.readyAt,
      p,
    )}; data request(s) ${at(measured, r => r.apiMs, p)} (baseline ${at(
      base,
      r => r.apiMs,
      p,
    )})`;
  const podRows =
    shown.large.pods < shown.large.total
      ? `${shown.large.pods} of ${shown.large.total} pods rendered (the tab loads the 5,000 needing attention most)`
      : `all ${shown.large.pods} pods rendered`;
  const moreLogs = shown.large.moreLogs
    ? ' (the newest 2,000 lines; the tab says older ones exist)'
    : '';
  const refresh = (
    what: string,
    measured: PageResult[],
    base: PageResult[],
    poll: string,
  ) =>
    figureItems({
      what: `${what}, longest task`,
      engine,
      percentiles: [50],
      large: each(measured, r => r.refreshLongestTaskMs),
      small: each(base, r => r.refreshLongestTaskMs),
      goalMs: RESPONSE_GOAL_MS,
      goalSource: 'RAIL response: input during a poll waits for it',
      note: () =>
        `"Refresh now" with unchanged data, as the ${poll} poll does: the longest main-thread task (Long Tasks API; 0 = none over 50 ms) until the re-render is painted; p95 ${at(
          measured,
          r => r.refreshLongestTaskMs,
          95,
        )}`,
    });
  return [
    ...figureItems({
      what: `Pod health tab, ${large.pods} pods`,
      engine,
      percentiles: [50, 95],
      large: each(rounds.podsLarge, mountToReady),
      small: each(rounds.podsSmall, mountToReady),
      goalMs: LOAD_GOAL_MS,
      goalSource: 'production build; RAIL load',
      note: p =>
        `baseline: ${
          small.pods
        } pods; ${podRows}, failing pod first, in tables that are not windowed; health ${JSON.stringify(
          large.health,
        )}; ${split(rounds.podsLarge, rounds.podsSmall, p)}`,
    }),
    ...figureItems({
      what: `Logs tab, ${large.logLines} stored lines`,
      engine,
      percentiles: [50, 95],
      large: each(rounds.logsLarge, mountToReady),
      small: each(rounds.logsSmall, mountToReady),
      goalMs: LOAD_GOAL_MS,
      goalSource: 'production build; RAIL load',
      note: p =>
        `baseline: ${small.logLines} lines (${
          shown.small.entries
        } entries); the tab gets the newest ${
          shown.large.lines
        } lines, folded into ${
          shown.large.entries
        } entries, for a windowed list${moreLogs}, and the entity's pods for its filter; ${split(
          rounds.logsLarge,
          rounds.logsSmall,
          p,
        )}`,
    }),
    ...figureItems({
      what: `Logs tab, scroll to the end of ${shown.large.entries} entries`,
      engine,
      percentiles: [50],
      large: each(rounds.logsLarge, r => r.scrollMs!),
      small: each(rounds.logsSmall, r => r.scrollMs!),
      goalMs: RESPONSE_GOAL_MS,
      goalSource: 'RAIL response',
      note: () =>
        `scrollTop set to the end → last row painted; p95 ${at(
          rounds.logsLarge,
          r => r.scrollMs!,
          95,
        )}; baseline: ${shown.small.entries} entries`,
    }),
    ...refresh(
      `Pod health tab, refresh of ${shown.large.pods} pods`,
      rounds.podsLarge,
      rounds.podsSmall,
      '30 s',
    ),
    ...refresh(
      `Logs tab, refresh of ${shown.large.entries} entries`,
      rounds.logsLarge,
      rounds.logsSmall,
      '10 s',
    ),
  ];
}
