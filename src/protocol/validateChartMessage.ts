/**
 * Checks, at run time, every message a Chart webview posts before the host acts on it (type,
 * field shapes, bounds), as `validateWebviewMessage.ts` does for the Message Log.
 */
import { describeValue as describe } from '../shared/describeValue';
import type { WebviewMessageCheckOf } from './viewProtocol';
import { MAX_CHART_WIDTH, MAX_PNG_BASE64, type ChartWebviewToHost } from './chart';

class Malformed extends Error {}

export function validateChartMessage(data: unknown): WebviewMessageCheckOf<ChartWebviewToHost> {
  try {
    return { ok: true, message: check(data) };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, problem: error.message };
    throw error;
  }
}

function check(data: unknown): ChartWebviewToHost {
  const m = record(data, 'the message');
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'view': {
      const width = m.width;
      if (
        typeof width !== 'number' ||
        !Number.isInteger(width) ||
        width < 1 ||
        width > MAX_CHART_WIDTH
      )
        throw new Malformed(
          `view.width must be a whole number from 1 to ${MAX_CHART_WIDTH}, got ${describe(width)}`,
        );
      if (m.range === undefined) return { type: 'view', width };
      const range = record(m.range, 'view.range');
      const from = time(range.from, 'view.range.from');
      const to = time(range.to, 'view.range.to');
      if (!(from < to)) throw new Malformed('view.range.from must be before view.range.to');
      return { type: 'view', width, range: { from, to } };
    }
    case 'pause':
      if (typeof m.paused !== 'boolean')
        throw new Malformed(`pause.paused must be true or false, got ${describe(m.paused)}`);
      return { type: 'pause', paused: m.paused };
    case 'exportCsv':
      return { type: 'exportCsv' };
    case 'exportPng': {
      const png = m.png;
      if (
        typeof png !== 'string' ||
        png.length === 0 ||
        png.length > MAX_PNG_BASE64 ||
        !/^[A-Za-z0-9+/]+={0,2}$/.test(png)
      )
        throw new Malformed(
          `exportPng.png must be base64 of at most ${MAX_PNG_BASE64} characters, got ${describe(png)}`,
        );
      return { type: 'exportPng', png };
    }
    default:
      throw new Malformed(`unknown message type ${describe(m.type)}`);
  }
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Malformed(`${what} must be an object, got ${describe(value)}`);
  return value as Record<string, unknown>;
}

function time(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > 8.64e15)
    throw new Malformed(`${what} must be a time in epoch milliseconds, got ${describe(value)}`);
  return value;
}
